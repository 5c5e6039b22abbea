import type { Qualification } from './qualification.js';

/** A change of one qualification's vetting status, as recorded in the history and emitted. */
export interface StatusChange {
  readonly qualification: string;
  readonly from: string | null;
  readonly to: string;
  readonly vettingReason?: string;
  readonly vettingCreateDate?: string;
}

export interface RefusedTransition {
  readonly qualification: string;
  readonly from: string;
  readonly to: string;
}

export interface Reconciliation {
  /** What to store: Partner Center's list, except entries whose transition was refused. */
  readonly qualifications: readonly Qualification[];
  readonly changes: readonly StatusChange[];
  readonly refused: readonly RefusedTransition[];
}

const TERMINAL = new Set(['Approved', 'Denied']);

/**
 * The vetting state machine. `InReview` may end in anything; a decided vetting goes back to
 * `InReview` only through a new submission (a newer `vettingCreateDate`); `Approved` is never
 * re-submitted. Statuses Partner Center adds later are accepted as data.
 */
export function isLegalTransition(
  previous: Qualification | undefined,
  next: Qualification,
): boolean {
  const from = previous?.vettingStatus;
  const to = next.vettingStatus;
  if (from === undefined || to === undefined || from === to) return true;
  if (to !== 'InReview' || !TERMINAL.has(from)) return true;
  if (from === 'Approved') return false;
  return isNewerVetting(previous, next);
}

/**
 * Whether `next` is a later vetting than `previous`: it has a creation date, and `previous` has
 * none or an earlier one. The one comparison every rule about re-submissions uses.
 */
export function isNewerVetting(previous: Qualification | undefined, next: Qualification): boolean {
  const before = Date.parse(previous?.vettingCreateDate ?? '');
  const after = Date.parse(next.vettingCreateDate ?? '');
  return !Number.isNaN(after) && (Number.isNaN(before) || after > before);
}

/** Compares what was stored with what Partner Center now says, one qualification at a time. */
export function reconcileQualifications(
  stored: readonly Qualification[] | undefined,
  observed: readonly Qualification[],
): Reconciliation {
  const byName = new Map((stored ?? []).map((q) => [q.qualification.toLowerCase(), q]));
  const qualifications: Qualification[] = [];
  const changes: StatusChange[] = [];
  const refused: RefusedTransition[] = [];
  for (const next of observed) {
    const previous = byName.get(next.qualification.toLowerCase());
    if (!isLegalTransition(previous, next)) {
      refused.push({
        qualification: next.qualification,
        from: previous?.vettingStatus ?? '',
        to: next.vettingStatus ?? '',
      });
      if (previous) qualifications.push(previous);
      continue;
    }
    qualifications.push(next);
    const to = next.vettingStatus;
    // Qualifications without vetting (StateOwnedEntity) have no status to change.
    if (to === undefined) continue;
    const changed =
      previous?.vettingStatus !== to || (to === 'InReview' && isNewerVetting(previous, next));
    if (changed) {
      changes.push({
        qualification: next.qualification,
        from: previous?.vettingStatus ?? null,
        to,
        ...(next.vettingReason !== undefined && { vettingReason: next.vettingReason }),
        ...(next.vettingCreateDate !== undefined && { vettingCreateDate: next.vettingCreateDate }),
      });
    }
  }
  return { qualifications, changes, refused };
}
