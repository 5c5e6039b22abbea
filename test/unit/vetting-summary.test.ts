import { describe, expect, it } from 'vitest';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import { decisionsBetween, type VettingDecision } from '../../shared/domain/vetting-decision.js';
import {
  countByStatus,
  decisionTimes,
  denialReasons,
  pendingAges,
  percentile,
} from '../../shared/domain/vetting-summary.js';

const HOUR = 3600;

describe('percentile (nearest rank)', () => {
  it('is undefined for no values and the value itself for one', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 90)).toBe(7);
  });

  it('takes the smallest value that p % of the values do not exceed', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 90)).toBe(40);
  });
});

describe('countByStatus', () => {
  it('counts rows by qualification and status, sorted by both', () => {
    expect(
      countByStatus([
        { qualification: 'StateOwnedEntity', vettingStatus: 'Approved' },
        { qualification: 'Education', vettingStatus: 'InReview' },
        { qualification: 'Education', vettingStatus: 'Approved' },
        { qualification: 'Education', vettingStatus: 'InReview' },
      ]),
    ).toEqual([
      { qualification: 'Education', vettingStatus: 'Approved', count: 1 },
      { qualification: 'Education', vettingStatus: 'InReview', count: 2 },
      { qualification: 'StateOwnedEntity', vettingStatus: 'Approved', count: 1 },
    ]);
  });
});

describe('pendingAges', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const submitted = (hoursAgo: number) =>
    new Date(now.getTime() - hoursAgo * HOUR * 1000).toISOString();

  it('ages InReview rows from their vettingCreateDate: oldest, p50 and p90 per qualification', () => {
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((h) => ({
      qualification: 'Education',
      vettingStatus: 'InReview',
      vettingCreateDate: submitted(h),
    }));
    rows.push({
      qualification: 'Education',
      vettingStatus: 'Approved',
      vettingCreateDate: submitted(99),
    });
    expect(pendingAges(rows, now)).toEqual([
      {
        qualification: 'Education',
        count: 10,
        oldestSeconds: 10 * HOUR,
        p50Seconds: 5 * HOUR,
        p90Seconds: 9 * HOUR,
      },
    ]);
  });

  it('counts a pending row without a date but cannot age it', () => {
    expect(
      pendingAges(
        [
          { qualification: 'StateOwnedEntity', vettingStatus: 'InReview' },
          { qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: 'garbage' },
        ],
        now,
      ),
    ).toEqual([
      {
        qualification: 'Education',
        count: 1,
        oldestSeconds: null,
        p50Seconds: null,
        p90Seconds: null,
      },
      {
        qualification: 'StateOwnedEntity',
        count: 1,
        oldestSeconds: null,
        p50Seconds: null,
        p90Seconds: null,
      },
    ]);
  });
});

const decision = (
  qualification: string,
  outcome: 'Approved' | 'Denied',
  decisionSeconds: number,
  vettingReason?: string,
): VettingDecision => ({
  customerId: '00000000-0000-4000-8000-000000000001',
  qualification,
  outcome,
  submittedAt: '2026-11-01T00:00:00.000Z',
  decidedAt: '2026-11-02T00:00:00.000Z',
  decisionSeconds,
  ...(vettingReason !== undefined && { vettingReason }),
});

describe('decisionTimes', () => {
  it('gives count, p50 and p90 per qualification and outcome', () => {
    const decisions = [
      ...[4, 1, 3, 2].map((h) => decision('Education', 'Approved', h * HOUR)),
      decision('Education', 'Denied', 50 * HOUR),
    ];
    expect(decisionTimes(decisions)).toEqual([
      {
        qualification: 'Education',
        outcome: 'Approved',
        count: 4,
        p50Seconds: 2 * HOUR,
        p90Seconds: 4 * HOUR,
      },
      {
        qualification: 'Education',
        outcome: 'Denied',
        count: 1,
        p50Seconds: 50 * HOUR,
        p90Seconds: 50 * HOUR,
      },
    ]);
  });
});

describe('denialReasons', () => {
  it('counts the reasons of denials only, most frequent first, ties by reason', () => {
    expect(
      denialReasons([
        decision('Education', 'Denied', 1, 'Not an education institution'),
        decision('Education', 'Denied', 1, 'Domain mismatch'),
        decision('Education', 'Denied', 1, 'Not an education institution'),
        decision('Education', 'Approved', 1, 'Not an education institution'),
        decision('Education', 'Denied', 1, 'Address mismatch'),
        decision('Education', 'Denied', 1),
      ]),
    ).toEqual([
      { reason: 'Not an education institution', count: 2 },
      { reason: '(none)', count: 1 },
      { reason: 'Address mismatch', count: 1 },
      { reason: 'Domain mismatch', count: 1 },
    ]);
  });
});

describe('decisionsBetween', () => {
  const customerId = '00000000-0000-4000-8000-000000000002';
  const record = (qualifications: CustomerRecord['qualifications']): CustomerRecord => ({
    ...emptyRecord(customerId as CustomerRecord['customerId']),
    qualifications,
  });
  const decidedAt = new Date('2026-11-03T00:00:00Z');

  it('finds InReview turned Approved or Denied, timed from vettingCreateDate', () => {
    const before = record([
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2026-11-01T00:00:00Z',
      },
      {
        qualification: 'StateOwnedEntity',
        vettingStatus: 'InReview',
        vettingCreateDate: '2026-11-02T00:00:00Z',
      },
    ]);
    const after = record([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: '2026-11-01T00:00:00Z',
      },
      {
        qualification: 'StateOwnedEntity',
        vettingStatus: 'Denied',
        vettingReason: 'Not state owned',
        vettingCreateDate: '2026-11-02T00:00:00Z',
      },
    ]);
    expect(decisionsBetween(before, after, decidedAt)).toEqual([
      expect.objectContaining({
        qualification: 'Education',
        outcome: 'Approved',
        decisionSeconds: 48 * HOUR,
      }),
      expect.objectContaining({
        qualification: 'StateOwnedEntity',
        outcome: 'Denied',
        decisionSeconds: 24 * HOUR,
        vettingReason: 'Not state owned',
      }),
    ]);
  });

  it('finds nothing on a first read, an unchanged status or an unknown submission date', () => {
    const approved = record([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: '2026-11-01T00:00:00Z',
      },
    ]);
    expect(decisionsBetween(undefined, approved, decidedAt)).toEqual([]);
    expect(decisionsBetween(record(undefined), approved, decidedAt)).toEqual([]);
    expect(decisionsBetween(approved, approved, decidedAt)).toEqual([]);
    expect(
      decisionsBetween(
        record([{ qualification: 'Education', vettingStatus: 'InReview' }]),
        record([{ qualification: 'Education', vettingStatus: 'Approved' }]),
        decidedAt,
      ),
    ).toEqual([]);
  });
});
