/**
 * Customer qualifications as Partner Center reports them. Statuses and names that the gateway
 * does not know are kept as data: Partner Center documents its lists as open ("etc.").
 */
export const SETTABLE_QUALIFICATIONS = [
  'Education',
  'GovernmentCommunityCloud',
  'StateOwnedEntity',
] as const;
export type SettableQualification = (typeof SETTABLE_QUALIFICATIONS)[number];

/** Names Partner Center knows but that a partner cannot set. */
export const UNSETTABLE_QUALIFICATIONS = ['None', 'Nonprofit'] as const;

/** The statuses Partner Center documents; it says the list may grow ("etc."). */
export const KNOWN_VETTING_STATUSES: ReadonlySet<string> = new Set([
  'InReview',
  'Approved',
  'Denied',
]);

export interface Qualification {
  readonly qualification: string;
  readonly vettingStatus?: string;
  readonly vettingReason?: string;
  readonly vettingCreateDate?: string;
}

/** `InReview` is the only non-terminal status: Partner Center will still change it. */
export function isPending(qualification: Qualification): boolean {
  return qualification.vettingStatus === 'InReview';
}

/** Partner Center reads qualification names case-insensitively, and so does the gateway. */
export function sameQualificationName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Case-insensitive lookup of a settable qualification's canonical name. */
export function canonicalSettableQualification(name: string): SettableQualification | undefined {
  return SETTABLE_QUALIFICATIONS.find((known) => sameQualificationName(known, name));
}

export function isUnsettableQualification(name: string): boolean {
  return UNSETTABLE_QUALIFICATIONS.some((known) => sameQualificationName(known, name));
}
