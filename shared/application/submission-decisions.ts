import { pruneAcceptances, type CustomerRecord } from '../domain/customer-record.js';
import { sameQualificationName, type Qualification } from '../domain/qualification.js';
import type { UpstreamFailure } from '../domain/upstream.js';
import { reconcileQualifications } from '../domain/vetting-transitions.js';
import type { Decision } from './decision.js';

// The pure decisions of a submission, applied to the customer's record by the ledger.

/**
 * Partner Center refused this MS-RequestId (a 4xx, or a 429 on every attempt), or the call never
 * left; and no attempt's outcome was unknown.
 */
export function neverApplied(result: {
  failure: UpstreamFailure;
  outcomeUnknown?: boolean;
}): boolean {
  if (result.outcomeUnknown === true) return false;
  const { kind } = result.failure;
  return (
    kind === 'rejected' ||
    kind === 'throttled' ||
    kind === 'circuit-open' ||
    kind === 'saturated' ||
    kind === 'credential-unavailable'
  );
}

/** Clocks of Partner Center and the gateway may disagree this much. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether Partner Center's entry is a vetting this submission started: in review, which it was
 * not before, and created no earlier than the submission (when Partner Center says when).
 */
export function isNewVetting(
  listed: Qualification,
  before: Qualification | undefined,
  record: CustomerRecord,
  requestId: string,
): boolean {
  if (listed.vettingStatus !== 'InReview' || before?.vettingStatus === 'InReview') return false;
  const submittedAt = record.openSubmissions.find((s) => s.requestId === requestId)?.submittedAt;
  if (listed.vettingCreateDate === undefined || submittedAt === undefined) return true;
  return Date.parse(listed.vettingCreateDate) >= Date.parse(submittedAt) - CLOCK_SKEW_MS;
}

export function withoutSubmission(
  requestId: string,
): (record: CustomerRecord) => Decision | undefined {
  return (record) => {
    const remaining = record.openSubmissions.filter((s) => s.requestId !== requestId);
    if (remaining.length === record.openSubmissions.length) return undefined;
    return { record: { ...record, openSubmissions: remaining }, changes: [] };
  };
}

export function accepted(
  created: Qualification,
  requestId: string,
  now: Date,
): (record: CustomerRecord) => Decision | undefined {
  return (record) => {
    const others = (record.qualifications ?? []).filter(
      (q) => !sameQualificationName(q.qualification, created.qualification),
    );
    const reconciled = reconcileQualifications(record.qualifications, [...others, created]);
    return {
      record: {
        ...record,
        qualifications: reconciled.qualifications,
        openSubmissions: record.openSubmissions.filter((s) => s.requestId !== requestId),
        recentlyAccepted: [
          ...pruneAcceptances(record.recentlyAccepted, now),
          { qualification: created.qualification, acceptedAt: now.toISOString() },
        ],
      },
      changes: reconciled.changes.map((change) => ({ change, trigger: 'submit' as const })),
    };
  };
}
