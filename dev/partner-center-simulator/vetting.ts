import type { StoredQualification } from './types.js';

const DENIAL_REASONS: Readonly<Record<string, string>> = {
  Education: 'Not an Education Customer',
  GovernmentCommunityCloud: 'Not a government entity',
};

export function denialReasonFor(qualification: string): string {
  return DENIAL_REASONS[qualification] ?? 'Not eligible';
}

/** Deterministic so tests can predict it: an odd last hex digit of the id means Denied. */
function automaticOutcome(customerId: string): 'Approved' | 'Denied' {
  const last = Number.parseInt(customerId.slice(-1), 16);
  return Number.isNaN(last) || last % 2 === 0 ? 'Approved' : 'Denied';
}

export function decide(
  item: StoredQualification,
  vettingStatus: string,
  vettingReason: string | undefined,
): void {
  item.vettingStatus = vettingStatus;
  item.vettingReason = vettingReason;
  item.pendingSince = vettingStatus === 'InReview' ? item.pendingSince : undefined;
}

/**
 * Decides overdue InReview items of one customer when they are looked at, instead of running
 * timers, so thousands of pending customers cost nothing until read.
 */
export function settleOverdue(
  customerId: string,
  items: Iterable<StoredQualification>,
  nowMs: number,
  delaySeconds: number,
): void {
  if (delaySeconds <= 0) return;
  for (const item of items) {
    if (item.pendingSince === undefined || item.vettingStatus !== 'InReview') continue;
    if (nowMs - item.pendingSince < delaySeconds * 1000) continue;
    const outcome = automaticOutcome(customerId);
    decide(item, outcome, outcome === 'Denied' ? denialReasonFor(item.qualification) : undefined);
  }
}
