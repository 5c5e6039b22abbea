import {
  pruneAcceptances,
  settleOpenSubmissions,
  withLateAcceptances,
  type CustomerRecord,
} from '../domain/customer-record.js';
import { KNOWN_VETTING_STATUSES, type Qualification } from '../domain/qualification.js';
import type { ChangeTrigger } from '../domain/qualification-event.js';
import { withinBounds } from '../domain/upstream-bounds.js';
import { reconcileQualifications } from '../domain/vetting-transitions.js';
import type { LogProperties } from '../logging/logger.js';
import type { Decision, LedgerWarning } from './decision.js';

/**
 * What Partner Center said about the customer, asked at `observedAt` (when the request started:
 * the answer shows Partner Center at some moment after it), applied to the record: legal
 * status changes recorded, open submissions settled, an older observation never overwriting a
 * newer one.
 */
export function applyObservation(
  observed: readonly Qualification[],
  observedAt: Date,
  trigger: ChangeTrigger,
): (record: CustomerRecord) => Decision | undefined {
  const bounded = withinBounds(observed);
  const listed = bounded.qualifications;
  return (record) => {
    if (record.lastSyncedAt !== undefined && record.lastSyncedAt > observedAt) return undefined;
    const warnings: LedgerWarning[] = [];
    const warn = (message: string, properties: LogProperties): void => {
      warnings.push({ message, properties: { customerId: record.customerId, ...properties } });
    };
    if (bounded.trimmed) {
      warn('Partner Center answered beyond what the gateway keeps; trimmed', {
        qualifications: observed.length,
      });
    }
    const reconciled = reconcileQualifications(
      record.qualifications,
      withLateAcceptances(record, listed, observedAt),
    );
    for (const q of listed) {
      if (q.vettingStatus !== undefined && !KNOWN_VETTING_STATUSES.has(q.vettingStatus)) {
        warn('Partner Center reported a vetting status the gateway does not know; kept as data', {
          qualification: q.qualification,
          vettingStatus: q.vettingStatus,
        });
      }
    }
    for (const refused of reconciled.refused) {
      warn('Partner Center reported an illegal vetting transition; kept the stored status', {
        ...refused,
      });
    }
    const settled = settleOpenSubmissions(
      record.openSubmissions,
      record.qualifications,
      listed,
      observedAt,
    );
    for (const submission of settled.abandoned) {
      warn('A submission never appeared in Partner Center; taken as not accepted', {
        requestId: submission.requestId,
        qualification: submission.qualification,
      });
    }
    const submitted = new Set(settled.accepted.map((s) => s.qualification.toLowerCase()));
    return {
      record: {
        ...record,
        qualifications: reconciled.qualifications,
        lastSyncedAt: observedAt,
        openSubmissions: settled.stillOpen,
        recentlyAccepted: pruneAcceptances(record.recentlyAccepted, observedAt),
      },
      // The first read of a customer learns its state; it witnesses no change, so it records
      // none (except for a submission of ours it settles).
      changes: reconciled.changes
        .filter(
          (change) =>
            record.qualifications !== undefined ||
            submitted.has(change.qualification.toLowerCase()),
        )
        .map((change) => ({
          change,
          trigger: submitted.has(change.qualification.toLowerCase()) ? 'submit' : trigger,
        })),
      warnings,
    };
  };
}
