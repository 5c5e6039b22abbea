import type { CustomerRecord } from '../domain/customer-record.js';
import type { Clock, RecordProjection } from '../domain/ports.js';
import {
  decisionsBetween,
  type DecisionLog,
  type VettingDecision,
} from '../domain/vetting-decision.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/redact.js';

export interface DecisionRecording {
  readonly log: DecisionLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told of every decision (the decision-time metric). */
  readonly onDecision: (decision: VettingDecision) => void;
}

/**
 * A projection of committed records that also notes every vetting decision they show (InReview
 * to Approved or Denied): for the decision-time metric and the decision log the vetting summary
 * reads. The ledger projects each committed write once, after the commit that made the change,
 * so a decision is noted once; a failed note is logged and lost (the history keeps the change).
 */
export function recordingDecisions(
  inner: RecordProjection | undefined,
  recording: DecisionRecording,
): RecordProjection {
  /** Notes the decisions `next` shows, each through `note`; a failed note is logged. */
  const noteDecisions = (
    previous: CustomerRecord | undefined,
    next: CustomerRecord,
    note: (decision: VettingDecision) => Promise<void>,
  ): Promise<void>[] => {
    const decisions = decisionsBetween(previous, next, recording.clock.now());
    for (const decision of decisions) recording.onDecision(decision);
    return decisions.map(async (decision) => {
      try {
        await note(decision);
      } catch (error) {
        recording.logger.warn('Could not note a vetting decision for the summary', {
          customerId: decision.customerId,
          qualification: decision.qualification,
          error: describeError(error),
        });
      }
    });
  };
  return {
    project: async (previous: CustomerRecord | undefined, next: CustomerRecord) => {
      // The notes go out with the view's writes: other rows, other tables.
      const notes = noteDecisions(previous, next, (d) => recording.log.record(d));
      await Promise.all([inner?.project(previous, next), ...notes]);
    },
    // The timer's: held with other checks' notes, a day's partition to a transaction.
    projectChange: async (previous: CustomerRecord | undefined, next: CustomerRecord) => {
      const notes = noteDecisions(previous, next, (d) => recording.log.hold(d));
      await Promise.all([inner?.projectChange(previous, next), ...notes]);
    },
    // A repair re-projects a record: it shows no decision the commit has not already shown.
    repair: async (record: CustomerRecord) => {
      await inner?.repair(record);
    },
    // Only lastSyncedAt moved: no decision to note.
    projectSync: async (next: CustomerRecord) => {
      await inner?.projectSync(next);
    },
    flush: async () => {
      await Promise.all([inner?.flush(), recording.log.flush()]);
    },
  };
}
