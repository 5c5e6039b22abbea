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
