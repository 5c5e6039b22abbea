import type { Qualification } from './qualification.js';

/**
 * The most the gateway keeps of what Partner Center says about one customer. Partner Center
 * documents a handful of qualifications with short reasons ("Not an Academic Domain"), but
 * bounds nothing: one oversized answer must not make a customer's record unwritable (a Table
 * Storage string property holds 32K characters, an entity 1 MiB).
 */
export const UPSTREAM_BOUNDS = {
  /** Qualifications of one customer; Partner Center knows five names. */
  qualifications: 16,
  /** Characters of a vetting reason, the one free-text field. */
  vettingReason: 1_000,
  /** Characters of a name, a status or a date. */
  field: 100,
} as const;

/** Ends a value cut to its bound, so that a reader sees it was. */
export const TRIMMED_MARKER = ' …[trimmed]';

function trimmed(value: string, max: number): string {
  return value.length <= max
    ? value
    : `${value.slice(0, max - TRIMMED_MARKER.length)}${TRIMMED_MARKER}`;
}

export interface BoundedQualifications {
  readonly qualifications: Qualification[];
  /** Whether anything was cut, so that the caller can say so once. */
  readonly trimmed: boolean;
}

/** Partner Center's list, with every value within `UPSTREAM_BOUNDS`. */
export function withinBounds(observed: readonly Qualification[]): BoundedQualifications {
  let cut = observed.length > UPSTREAM_BOUNDS.qualifications;
  const bound = (value: string, max: number): string => {
    const result = trimmed(value, max);
    if (result !== value) cut = true;
    return result;
  };
  const qualifications = observed.slice(0, UPSTREAM_BOUNDS.qualifications).map((q) => ({
    qualification: bound(q.qualification, UPSTREAM_BOUNDS.field),
    ...(q.vettingStatus !== undefined && {
      vettingStatus: bound(q.vettingStatus, UPSTREAM_BOUNDS.field),
    }),
    ...(q.vettingReason !== undefined && {
      vettingReason: bound(q.vettingReason, UPSTREAM_BOUNDS.vettingReason),
    }),
    ...(q.vettingCreateDate !== undefined && {
      vettingCreateDate: bound(q.vettingCreateDate, UPSTREAM_BOUNDS.field),
    }),
  }));
  return { qualifications, trimmed: cut };
}
