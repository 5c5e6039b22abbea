import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Qualification } from '../../shared/domain/qualification.js';
import {
  isLegalTransition,
  reconcileQualifications,
  type Reconciliation,
} from '../../shared/domain/vetting-transitions.js';

// Whatever Partner Center answers, step after step, the stored state only moves
// along legal transitions, and every status change is recorded once.

const KNOWN_NAMES = ['Education', 'GovernmentCommunityCloud', 'StateOwnedEntity', 'Nonprofit'];
const DATES = [
  '2024-01-01T00:00:00Z',
  '2024-06-01T00:00:00Z',
  '2025-01-01T00:00:00Z',
  '2025-06-01T10:00:00.000Z',
  'not a date',
];

const nameArb = fc.oneof(
  // Case variants of known names: Partner Center is not consistent about case.
  fc
    .constantFrom(...KNOWN_NAMES)
    .chain((name) => fc.constantFrom(name, name.toLowerCase(), name.toUpperCase())),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const statusArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('InReview', 'Approved', 'Denied') },
  { weight: 1, arbitrary: fc.constantFrom('Suspended', 'Expired', 'inreview') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
);
const qualificationArb: fc.Arbitrary<Qualification> = fc.record(
  {
    qualification: nameArb,
    vettingStatus: statusArb,
    vettingReason: fc.string({ maxLength: 8 }),
    vettingCreateDate: fc.constantFrom(...DATES),
  },
  { requiredKeys: ['qualification'] },
);
/** One answer of Partner Center: each qualification at most once (names compare case-blind). */
const answerArb = fc.uniqueArray(qualificationArb, {
  maxLength: 5,
  selector: (q) => q.qualification.toLowerCase(),
});
const answersArb = fc.array(answerArb, { minLength: 1, maxLength: 12 });

const key = (q: Qualification): string => q.qualification.toLowerCase();
const newerVetting = (before: Qualification, after: Qualification): boolean => {
  const to = Date.parse(after.vettingCreateDate ?? '');
  const from = Date.parse(before.vettingCreateDate ?? '');
  return !Number.isNaN(to) && (Number.isNaN(from) || to > from);
};

/** The rule, restated independently of the code under test. */
const mustRefuse = (previous: Qualification | undefined, next: Qualification): boolean =>
  previous !== undefined &&
  next.vettingStatus === 'InReview' &&
  (previous.vettingStatus === 'Approved' ||
    (previous.vettingStatus === 'Denied' && !newerVetting(previous, next)));

/** Feeds the answers one by one, as the ledger does, and returns each step. */
function run(answers: readonly (readonly Qualification[])[]) {
  const steps: {
    stored: readonly Qualification[] | undefined;
    observed: readonly Qualification[];
    result: Reconciliation;
  }[] = [];
  let stored: readonly Qualification[] | undefined;
  for (const observed of answers) {
    const result = reconcileQualifications(stored, observed);
    steps.push({ stored, observed, result });
    stored = result.qualifications;
  }
  return steps;
}

describe('vetting state machine (property-based)', () => {
  it('never stores Approved → InReview, nor Denied → InReview without a newer vetting', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        for (const { stored, result } of run(answers)) {
          const before = new Map((stored ?? []).map((q) => [key(q), q]));
          for (const after of result.qualifications) {
            const previous = before.get(key(after));
            if (previous === undefined || after.vettingStatus !== 'InReview') continue;
            expect(previous.vettingStatus).not.toBe('Approved');
            if (previous.vettingStatus === 'Denied') {
              expect(newerVetting(previous, after)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the previous entry when a transition is refused, and the new one otherwise', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        for (const { stored, observed, result } of run(answers)) {
          const before = new Map((stored ?? []).map((q) => [key(q), q]));
          // One stored entry per observed entry, in Partner Center's order.
          expect(result.qualifications).toHaveLength(observed.length);
          observed.forEach((next, index) => {
            const previous = before.get(key(next));
            const legal = !mustRefuse(previous, next);
            expect(isLegalTransition(previous, next)).toBe(legal);
            expect(result.qualifications[index]).toBe(legal ? next : previous);
            const refused = result.refused.filter((r) => r.qualification === next.qualification);
            expect(refused).toHaveLength(legal ? 0 : 1);
            if (!legal) {
              expect(refused[0]).toEqual({
                qualification: next.qualification,
                from: previous?.vettingStatus,
                to: next.vettingStatus,
              });
            }
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records a change exactly when the stored status moves, or a new vetting starts', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        for (const { stored, result } of run(answers)) {
          const before = new Map((stored ?? []).map((q) => [key(q), q]));
          const expected = result.qualifications.flatMap((after) => {
            const previous = before.get(key(after));
            if (after.vettingStatus === undefined || after === previous) return [];
            const moved = previous?.vettingStatus !== after.vettingStatus;
            const resubmitted =
              previous !== undefined &&
              after.vettingStatus === 'InReview' &&
              newerVetting(previous, after);
            return moved || resubmitted
              ? [
                  {
                    qualification: after.qualification,
                    from: previous?.vettingStatus ?? null,
                    to: after.vettingStatus,
                  },
                ]
              : [];
          });
          expect(
            result.changes.map(({ qualification, from, to }) => ({ qualification, from, to })),
          ).toEqual(expected);
          for (const change of result.changes) {
            expect(change.from !== change.to || change.to === 'InReview').toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps unknown statuses as data: stored verbatim, and a change like any other', () => {
    const known = new Set(['InReview', 'Approved', 'Denied']);
    fc.assert(
      fc.property(answersArb, (answers) => {
        for (const { stored, observed, result } of run(answers)) {
          const before = new Map((stored ?? []).map((q) => [key(q), q]));
          for (const next of observed) {
            if (next.vettingStatus === undefined || known.has(next.vettingStatus)) continue;
            // Only InReview can be refused: an unknown target status is always accepted.
            expect(result.qualifications).toContain(next);
            const previous = before.get(key(next));
            const change = result.changes.find((c) => c.qualification === next.qualification);
            if (previous?.vettingStatus === next.vettingStatus) expect(change).toBeUndefined();
            else expect(change).toMatchObject({ to: next.vettingStatus });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records no change for qualifications without vetting (StateOwnedEntity)', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        for (const { observed, result } of run(answers)) {
          for (const next of observed) {
            if (next.vettingStatus !== undefined) continue;
            expect(result.qualifications).toContain(next);
            expect(result.changes.map((c) => c.qualification)).not.toContain(next.qualification);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('vetting state machine (examples)', () => {
  const education = (vettingStatus: string, vettingCreateDate?: string): Qualification => ({
    qualification: 'Education',
    vettingStatus,
    ...(vettingCreateDate !== undefined && { vettingCreateDate }),
  });

  it('InReview may end in Approved, Denied or a status unknown today', () => {
    for (const to of ['Approved', 'Denied', 'Suspended']) {
      const result = reconcileQualifications(
        [education('InReview', '2025-01-01')],
        [education(to, '2025-01-01')],
      );
      expect(result.refused).toEqual([]);
      expect(result.changes).toEqual([
        { qualification: 'Education', from: 'InReview', to, vettingCreateDate: '2025-01-01' },
      ]);
    }
  });

  it('refuses Approved → InReview even with a newer vetting, keeping the stored entry', () => {
    const approved = education('Approved', '2025-01-01');
    const result = reconcileQualifications([approved], [education('InReview', '2025-06-01')]);
    expect(result.qualifications).toEqual([approved]);
    expect(result.changes).toEqual([]);
    expect(result.refused).toEqual([
      { qualification: 'Education', from: 'Approved', to: 'InReview' },
    ]);
  });

  it('accepts Denied → InReview only for a newer vetting, matching names case-blind', () => {
    const denied = education('Denied', '2025-01-01');
    const same = reconcileQualifications(
      [denied],
      [{ ...education('InReview', '2025-01-01'), qualification: 'EDUCATION' }],
    );
    expect(same.qualifications).toEqual([denied]);
    expect(same.refused).toHaveLength(1);

    const undated = reconcileQualifications([denied], [education('InReview')]);
    expect(undated.qualifications).toEqual([denied]);

    const resubmitted = reconcileQualifications([denied], [education('InReview', '2025-02-01')]);
    expect(resubmitted.refused).toEqual([]);
    expect(resubmitted.changes).toEqual([
      {
        qualification: 'Education',
        from: 'Denied',
        to: 'InReview',
        vettingCreateDate: '2025-02-01',
      },
    ]);
  });

  it('records a new InReview vetting over an older InReview one', () => {
    const result = reconcileQualifications(
      [education('InReview', '2025-01-01')],
      [education('InReview', '2025-03-01')],
    );
    expect(result.changes).toMatchObject([{ from: 'InReview', to: 'InReview' }]);
    const unchanged = reconcileQualifications(
      [education('InReview', '2025-03-01')],
      [education('InReview', '2025-03-01')],
    );
    expect(unchanged.changes).toEqual([]);
  });

  it('records the first status of a qualification as a change from null, with its reason', () => {
    const result = reconcileQualifications(undefined, [
      { qualification: 'GovernmentCommunityCloud', vettingStatus: 'Denied', vettingReason: 'No' },
      { qualification: 'StateOwnedEntity' },
    ]);
    expect(result.changes).toEqual([
      { qualification: 'GovernmentCommunityCloud', from: null, to: 'Denied', vettingReason: 'No' },
    ]);
    expect(result.qualifications).toHaveLength(2);
  });
});
