import { describe, expect, it } from 'vitest';
import {
  apiFaultSchema,
  upstreamQualificationListSchema,
} from '../../shared/partner-center/response-schemas.js';

describe('upstream qualification list', () => {
  it('normalises the documented typo vettingCreatedDate', () => {
    const parsed = upstreamQualificationListSchema.parse([
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreatedDate: '2020-12-04T20:54:24Z',
      },
    ]);
    expect(parsed).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
  });

  it('keeps unknown statuses and drops unknown fields', () => {
    const parsed = upstreamQualificationListSchema.parse([
      { qualification: 'Education', vettingStatus: 'Escalated', extra: 1 },
      { qualification: 'StateOwnedEntity' },
    ]);
    expect(parsed).toEqual([
      { qualification: 'Education', vettingStatus: 'Escalated' },
      { qualification: 'StateOwnedEntity' },
    ]);
  });

  it('refuses what is not a bare array of qualifications', () => {
    expect(upstreamQualificationListSchema.safeParse({ items: [] }).success).toBe(false);
    expect(upstreamQualificationListSchema.safeParse([{ vettingStatus: 'Approved' }]).success).toBe(
      false,
    );
  });
});

describe('ApiFault', () => {
  it('accepts numeric and string codes', () => {
    expect(
      apiFaultSchema.parse({ code: 2000, description: 'Tenant Id must be a GUID.' }).code,
    ).toBe(2000);
    expect(apiFaultSchema.parse({ code: '900421', message: 'MFA' }).code).toBe('900421');
  });
});
