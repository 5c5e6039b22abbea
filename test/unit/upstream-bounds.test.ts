import { describe, expect, it } from 'vitest';
import {
  TRIMMED_MARKER,
  UPSTREAM_BOUNDS,
  withinBounds,
} from '../../shared/domain/upstream-bounds.js';

describe('withinBounds', () => {
  it('keeps what Partner Center documents as it is', () => {
    const listed = [
      {
        qualification: 'Education',
        vettingStatus: 'Denied',
        vettingReason: 'Not an Academic Domain',
      },
      { qualification: 'StateOwnedEntity' },
    ];
    expect(withinBounds(listed)).toEqual({ qualifications: listed, trimmed: false });
  });

  it('cuts a long reason to its bound, marked, and says so', () => {
    const { qualifications, trimmed } = withinBounds([
      { qualification: 'Education', vettingStatus: 'Denied', vettingReason: 'r'.repeat(40_000) },
    ]);
    const reason = qualifications[0]?.vettingReason ?? '';
    expect(trimmed).toBe(true);
    expect(reason).toHaveLength(UPSTREAM_BOUNDS.vettingReason);
    expect(reason.endsWith(TRIMMED_MARKER)).toBe(true);
  });

  it('cuts names, statuses and dates, and the length of the list', () => {
    const long = 'n'.repeat(500);
    const { qualifications, trimmed } = withinBounds(
      Array.from({ length: 40 }, () => ({
        qualification: long,
        vettingStatus: long,
        vettingCreateDate: long,
      })),
    );
    expect(trimmed).toBe(true);
    expect(qualifications).toHaveLength(UPSTREAM_BOUNDS.qualifications);
    for (const q of qualifications) {
      expect(q.qualification).toHaveLength(UPSTREAM_BOUNDS.field);
      expect(q.vettingStatus).toHaveLength(UPSTREAM_BOUNDS.field);
      expect(q.vettingCreateDate).toHaveLength(UPSTREAM_BOUNDS.field);
    }
  });
});
