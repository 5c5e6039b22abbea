import type { StoredQualification } from './types.js';
import type { ValidationCode } from './types.js';

export const SEEDED_PARTNER_ID = '0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a';

/** Readable ids; the last hex digit's parity also decides automatic vetting (see vetting.ts). */
export const SEEDED_CUSTOMERS = Object.freeze({
  noQualifications: '11111111-1111-4111-8111-111111111111',
  educationApproved: '22222222-2222-4222-8222-222222222222',
  /** Ends odd: the vetting clock denies it. */
  educationInReviewToBeDenied: '33333333-3333-4333-8333-333333333333',
  /** Ends even: the vetting clock approves it. */
  educationInReview: '44444444-4444-4444-8444-444444444444',
  stateOwnedEntity: '55555555-5555-4555-8555-555555555555',
  gccApproved: '66666666-6666-4666-8666-666666666666',
  educationDenied: '77777777-7777-4777-8777-777777777777',
  /** Every call about it gets 403 / 20002. */
  noCommerceRelationship: '88888888-8888-4888-8888-888888888888',
} as const);

export const SEEDED_VALIDATION_CODES: readonly ValidationCode[] = Object.freeze([
  Object.freeze({
    partnerId: SEEDED_PARTNER_ID,
    organizationName: 'Contoso Public Sector',
    validationId: 'c0de0001-0000-4000-8000-000000000001',
    maxCreates: 100,
    remainingCreates: 100,
  }),
  Object.freeze({
    partnerId: SEEDED_PARTNER_ID,
    organizationName: 'Contoso Public Sector',
    validationId: 'c0de0002-0000-4000-8000-000000000002',
    maxCreates: 1,
    remainingCreates: 1,
  }),
]);

export interface SeededCustomer {
  id: string;
  qualifications: StoredQualification[];
  commerceRelationship: boolean;
}

const PAST = '2020-12-04T20:54:24Z';

function decided(
  qualification: string,
  vettingStatus: 'Approved' | 'Denied',
  vettingReason?: string,
): StoredQualification {
  return {
    qualification,
    vettingStatus,
    vettingReason,
    vettingCreateDate: PAST,
    pendingSince: undefined,
    submissions: 1,
  };
}

function inReview(qualification: string, since: Date, date: string): StoredQualification {
  return {
    qualification,
    vettingStatus: 'InReview',
    vettingReason: undefined,
    vettingCreateDate: date,
    pendingSince: since.getTime(),
    submissions: 1,
  };
}

const soe = (): StoredQualification => ({
  qualification: 'StateOwnedEntity',
  vettingStatus: undefined,
  vettingReason: undefined,
  vettingCreateDate: undefined,
  pendingSince: undefined,
  submissions: 1,
});

/** The pending ones start "now", so a local run sees them decided after the vetting delay. */
export function seededCustomers(now: Date, nowText: string): SeededCustomer[] {
  const c = SEEDED_CUSTOMERS;
  const entry = (id: string, qualifications: StoredQualification[], relationship = true) => ({
    id,
    qualifications,
    commerceRelationship: relationship,
  });
  return [
    entry(c.noQualifications, []),
    entry(c.educationApproved, [decided('Education', 'Approved')]),
    entry(c.educationInReviewToBeDenied, [inReview('Education', now, nowText)]),
    entry(c.educationInReview, [inReview('Education', now, nowText)]),
    entry(c.stateOwnedEntity, [soe()]),
    entry(c.gccApproved, [decided('GovernmentCommunityCloud', 'Approved')]),
    entry(c.educationDenied, [decided('Education', 'Denied', 'Not an Education Customer')]),
    entry(c.noCommerceRelationship, [], false),
  ];
}
