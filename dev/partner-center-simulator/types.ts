/** A qualification as Partner Center returns it (SOE entries have only `qualification`). */
export interface Qualification {
  qualification: string;
  vettingStatus?: string;
  vettingReason?: string;
  vettingCreateDate?: string;
}

/** One of the partner's GCC validation codes (GET /v1/customers/all/validations). */
export interface ValidationCode {
  partnerId: string;
  organizationName: string;
  validationId: string;
  maxCreates: number | null;
  remainingCreates: number | null;
}

/** How the simulator classifies an Authorization header; see token-kind.ts. */
export type TokenKind = 'app-only' | 'app+user' | 'none' | 'invalid';

export interface StoredQualification {
  /** Canonical casing for the known names; anything a control call seeded, verbatim. */
  readonly qualification: string;
  vettingStatus: string | undefined;
  vettingReason: string | undefined;
  /** Kept as text so a seeded `2021-05-06T19:59:56.6832021+00:00` comes back unchanged. */
  vettingCreateDate: string | undefined;
  /** Epoch ms the vetting clock counts from; set only while InReview. */
  pendingSince: number | undefined;
  /** Submissions of this qualification for this customer, for the three-attempt limit. */
  submissions: number;
}

export interface Customer {
  readonly id: string;
  /** Keyed by lower-cased name; a Map keeps insertion order, which GET answers in. */
  readonly qualifications: Map<string, StoredQualification>;
  readonly commerceRelationship: boolean;
}

export interface CustomerView {
  customerId: string;
  qualifications: Record<string, string>[];
  commerceRelationship?: false;
}
