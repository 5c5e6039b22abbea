import { needsAttention, type CustomerRecord } from '../domain/customer-record.js';
import type { ChangeTrigger } from '../domain/qualification-event.js';
import type { StatusChange } from '../domain/vetting-transitions.js';
import type { LogProperties } from '../logging/logger.js';

/** What a writer decided to make of a customer record: the ledger commits it. */
export interface Decision {
  readonly record: CustomerRecord;
  readonly changes: readonly { change: StatusChange; trigger: ChangeTrigger }[];
  /** Logged once, after the commit that applies the decision (a lost race decides again). */
  readonly warnings?: readonly LedgerWarning[];
}

export interface LedgerWarning {
  readonly message: string;
  readonly properties: LogProperties;
}

/** Only lastSyncedAt moves: the same qualifications, no change recorded, nothing to mark. */
export function isFreshnessOnly(
  record: CustomerRecord,
  next: CustomerRecord,
  decision: Decision,
  marks: boolean,
): boolean {
  return (
    decision.changes.length === 0 &&
    !marks &&
    record.qualifications !== undefined &&
    next.lastSyncedAt !== record.lastSyncedAt &&
    JSON.stringify(next.qualifications) === JSON.stringify(record.qualifications)
  );
}

/** Everything but lastSyncedAt (and the qualifications, compared by isFreshnessOnly) unchanged. */
export function onlySyncMoved(record: CustomerRecord, next: CustomerRecord): boolean {
  const rest = (r: CustomerRecord): string =>
    JSON.stringify([r.openSubmissions, r.recentlyAccepted, r.unpublishedEvents]);
  return rest(next) === rest(record);
}

/**
 * Whether a decision only confirms, `withinMs` after the stored lastSyncedAt, what the record
 * already holds: the same qualifications, nothing else moved, nothing to log. Writing such a
 * confirmation buys a lastSyncedAt a few seconds newer at the cost of a round trip on the
 * caller's path; the stored one stays a true (older) moment at which Partner Center said it.
 */
export function confirmsRecentSync(
  record: CustomerRecord,
  decision: Decision,
  at: Date,
  withinMs: number,
): boolean {
  const next = decision.record;
  return (
    withinMs > 0 &&
    record.lastSyncedAt !== undefined &&
    at.getTime() - record.lastSyncedAt.getTime() < withinMs &&
    (decision.warnings?.length ?? 0) === 0 &&
    isFreshnessOnly(record, next, decision, needsAttention(next) && !needsAttention(record)) &&
    onlySyncMoved(record, next)
  );
}
