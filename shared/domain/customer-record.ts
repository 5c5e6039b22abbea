import type { CustomerId } from './customer-id.js';
import { isPending, sameQualificationName, type Qualification } from './qualification.js';
import { isNewerVetting } from './vetting-transitions.js';
import type { OutboxEvent } from './qualification-event.js';

/** A submission sent (or about to be sent) to Partner Center whose outcome is not yet stored. */
export interface OpenSubmission {
  readonly requestId: string;
  readonly qualification: string;
  readonly submittedAt: string;
  readonly correlationId: string;
}

/**
 * Everything the gateway keeps about one customer in one entity: the last qualifications read
 * from Partner Center, submissions in flight, and change events not yet published.
 */
export interface CustomerRecord {
  readonly customerId: CustomerId;
  /** Undefined until Partner Center has been read for this customer. */
  readonly qualifications: readonly Qualification[] | undefined;
  readonly lastSyncedAt: Date | undefined;
  readonly openSubmissions: readonly OpenSubmission[];
  /**
   * Submissions accepted lately. A read of Partner Center that started before one of them was
   * accepted may not list it yet, and must not take it away.
   */
  readonly recentlyAccepted: readonly AcceptedSubmission[];
  readonly unpublishedEvents: readonly OutboxEvent[];
}

export interface AcceptedSubmission {
  readonly qualification: string;
  readonly acceptedAt: string;
}

export function emptyRecord(customerId: CustomerId): CustomerRecord {
  return {
    customerId,
    qualifications: undefined,
    lastSyncedAt: undefined,
    openSubmissions: [],
    recentlyAccepted: [],
    unpublishedEvents: [],
  };
}

/** Whether the timer has to look at this customer again. */
export function needsAttention(record: CustomerRecord): boolean {
  return needsUpstream(record) || record.unpublishedEvents.length > 0;
}

/** Pending vetting and open submissions are settled by reading Partner Center. */
export function needsUpstream(record: CustomerRecord): boolean {
  return record.openSubmissions.length > 0 || (record.qualifications ?? []).some(isPending);
}

/**
 * How long after a submission its qualification may take to show in Partner Center's list.
 * Past it, a submission that never appeared is taken as not accepted.
 */
export const OPEN_SUBMISSION_GRACE_MS = 15 * 60 * 1000;

/**
 * Splits open submissions by what Partner Center now lists. A submission was accepted when its
 * qualification newly appears, or appears with a newer vetting than the one stored before it;
 * one that never shows within the grace period was not accepted.
 */
export function settleOpenSubmissions(
  open: readonly OpenSubmission[],
  stored: readonly Qualification[] | undefined,
  observed: readonly Qualification[],
  now: Date,
): { accepted: OpenSubmission[]; abandoned: OpenSubmission[]; stillOpen: OpenSubmission[] } {
  const find = (list: readonly Qualification[] | undefined, name: string) =>
    list?.find((q) => sameQualificationName(q.qualification, name));
  const accepted: OpenSubmission[] = [];
  const abandoned: OpenSubmission[] = [];
  const stillOpen: OpenSubmission[] = [];
  for (const submission of open) {
    const before = find(stored, submission.qualification);
    const after = find(observed, submission.qualification);
    const newVetting =
      after !== undefined &&
      (before === undefined ||
        isNewerVetting(before, after) ||
        (!isPending(before) && isPending(after)));
    const age = now.getTime() - Date.parse(submission.submittedAt);
    if (newVetting) accepted.push(submission);
    else if (age > OPEN_SUBMISSION_GRACE_MS) abandoned.push(submission);
    else stillOpen.push(submission);
  }
  return { accepted, abandoned, stillOpen };
}

/**
 * What an observation of Partner Center made at `observedAt` means for the stored list: the
 * observation, except that a qualification accepted after `observedAt` keeps its stored entry
 * when the observation is too old to show it.
 */
export function withLateAcceptances(
  record: CustomerRecord,
  observed: readonly Qualification[],
  observedAt: Date,
): Qualification[] {
  const result = [...observed];
  for (const accepted of record.recentlyAccepted) {
    if (Date.parse(accepted.acceptedAt) < observedAt.getTime()) continue;
    const named = (q: Qualification) =>
      sameQualificationName(q.qualification, accepted.qualification);
    const stored = record.qualifications?.find(named);
    if (stored === undefined) continue;
    const index = result.findIndex(named);
    const seen = index === -1 ? undefined : result[index];
    const seenIsOlder = seen === undefined || isNewerVetting(seen, stored);
    if (!seenIsOlder) continue;
    if (index === -1) result.push(stored);
    else result[index] = stored;
  }
  return result;
}

/** Acceptances older than the grace period can no longer be missing from a read. */
export function pruneAcceptances(
  accepted: readonly AcceptedSubmission[],
  now: Date,
): AcceptedSubmission[] {
  return accepted.filter(
    (a) => now.getTime() - Date.parse(a.acceptedAt) <= OPEN_SUBMISSION_GRACE_MS,
  );
}

/** Whether some qualification of `next` has another vetting status than it had in `previous`. */
export function statusChanged(previous: CustomerRecord | undefined, next: CustomerRecord): boolean {
  const statusOf = (name: string) =>
    previous?.qualifications?.find((q) => q.qualification === name)?.vettingStatus;
  return (next.qualifications ?? []).some((q) => statusOf(q.qualification) !== q.vettingStatus);
}
