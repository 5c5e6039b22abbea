import type { CustomerId } from './customer-id.js';
import type { Qualification } from './qualification.js';
import type { QualificationEvent } from './qualification-event.js';

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
  readonly unpublishedEvents: readonly QualificationEvent[];
}

export function emptyRecord(customerId: CustomerId): CustomerRecord {
  return {
    customerId,
    qualifications: undefined,
    lastSyncedAt: undefined,
    openSubmissions: [],
    unpublishedEvents: [],
  };
}

/** Whether the timer has to look at this customer again. */
export function needsAttention(record: CustomerRecord): boolean {
  return (
    record.openSubmissions.length > 0 ||
    record.unpublishedEvents.length > 0 ||
    (record.qualifications ?? []).some((q) => q.vettingStatus === 'InReview')
  );
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
    list?.find((q) => q.qualification.toLowerCase() === name.toLowerCase());
  const accepted: OpenSubmission[] = [];
  const abandoned: OpenSubmission[] = [];
  const stillOpen: OpenSubmission[] = [];
  for (const submission of open) {
    const before = find(stored, submission.qualification);
    const after = find(observed, submission.qualification);
    const newVetting =
      after !== undefined &&
      (before === undefined ||
        Date.parse(after.vettingCreateDate ?? '') > Date.parse(before.vettingCreateDate ?? '') ||
        (before.vettingStatus !== 'InReview' && after.vettingStatus === 'InReview'));
    const age = now.getTime() - Date.parse(submission.submittedAt);
    if (newVetting) accepted.push(submission);
    else if (age > OPEN_SUBMISSION_GRACE_MS) abandoned.push(submission);
    else stillOpen.push(submission);
  }
  return { accepted, abandoned, stillOpen };
}
