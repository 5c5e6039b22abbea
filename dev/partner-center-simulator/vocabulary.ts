// Partner Center's names, matched the way its .NET model binder matches them: case-insensitively,
// answered in canonical casing.

export const CREATABLE_QUALIFICATIONS = [
  'Education',
  'GovernmentCommunityCloud',
  'StateOwnedEntity',
] as const;
export type CreatableQualification = (typeof CREATABLE_QUALIFICATIONS)[number];

/** Values of the SDK's CustomerQualification enum that exist but can never be set. */
export const UNSETTABLE_QUALIFICATIONS = ['None', 'Nonprofit'] as const;

/** SDK enum integers, index = value; Newtonsoft's StringEnumConverter also accepts these. */
export const QUALIFICATION_ENUM_VALUES = [
  'None',
  'Education',
  'Nonprofit',
  'GovernmentCommunityCloud',
  'StateOwnedEntity',
] as const;

export const EDUCATION_SEGMENTS = ['K12', 'HigherEducation'] as const;

export const KNOWN_VETTING_STATUSES = ['InReview', 'Approved', 'Denied'] as const;

export function canonicalOf<T extends string>(values: readonly T[], input: string): T | undefined {
  const lower = input.toLowerCase();
  return values.find((value) => value.toLowerCase() === lower);
}

/** Known names come back canonical; anything else is kept verbatim, as data. */
export function canonicalQualificationName(input: string): string {
  return canonicalOf(QUALIFICATION_ENUM_VALUES, input) ?? input;
}

/** Map key for a customer's qualifications: one entry per name, whatever its casing. */
export function qualificationKeyOf(name: string): string {
  return name.toLowerCase();
}

export function canonicalVettingStatus(input: string): string {
  return canonicalOf(KNOWN_VETTING_STATUSES, input) ?? input;
}

/** Partner Center writes dates without fractional seconds, e.g. 2020-12-04T20:54:24Z. */
export function partnerCenterDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
