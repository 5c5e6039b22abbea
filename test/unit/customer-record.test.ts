import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import {
  emptyRecord,
  needsAttention,
  OPEN_SUBMISSION_GRACE_MS,
  pruneAcceptances,
  settleOpenSubmissions,
  withLateAcceptances,
  type CustomerRecord,
  type OpenSubmission,
} from '../../shared/domain/customer-record.js';
import type { QualificationEvent } from '../../shared/domain/qualification-event.js';
import { qualificationEvent } from '../../shared/domain/qualification-event.js';
import type { Qualification } from '../../shared/domain/qualification.js';

const customerId = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' as CustomerId;
const NOW = new Date('2025-06-01T12:00:00.000Z');
const minutesAgo = (minutes: number): string =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();

const education = (vettingStatus: string, vettingCreateDate?: string): Qualification => ({
  qualification: 'Education',
  vettingStatus,
  ...(vettingCreateDate !== undefined && { vettingCreateDate }),
});
const submission = (submittedAt: string, qualification = 'Education'): OpenSubmission => ({
  requestId: `request-${submittedAt}`,
  qualification,
  submittedAt,
  correlationId: 'correlation',
});
const event: QualificationEvent = qualificationEvent(
  customerId,
  { qualification: 'Education', from: 'InReview', to: 'Approved' },
  'event-1',
  NOW,
  'correlation',
);

describe('needsAttention', () => {
  const base = emptyRecord(customerId);

  it('is false for a record with nothing pending', () => {
    expect(needsAttention(base)).toBe(false);
    expect(
      needsAttention({
        ...base,
        qualifications: [
          education('Approved'),
          education('Denied'),
          { qualification: 'StateOwnedEntity' },
        ],
      }),
    ).toBe(false);
  });

  it('is true for an open submission, an unpublished event or a vetting in review', () => {
    expect(needsAttention({ ...base, openSubmissions: [submission(minutesAgo(1))] })).toBe(true);
    expect(needsAttention({ ...base, unpublishedEvents: [event] })).toBe(true);
    expect(
      needsAttention({ ...base, qualifications: [education('Approved'), education('InReview')] }),
    ).toBe(true);
  });
});

describe('settleOpenSubmissions', () => {
  it('accepts a submission whose qualification newly appears', () => {
    const open = [submission(minutesAgo(1))];
    const settled = settleOpenSubmissions(open, [], [education('InReview', minutesAgo(1))], NOW);
    expect(settled).toEqual({ accepted: open, abandoned: [], stillOpen: [] });
    // Undefined (never read) counts as not listed; names compare case-blind.
    const upper = settleOpenSubmissions(
      [submission(minutesAgo(1), 'EDUCATION')],
      undefined,
      [education('InReview')],
      NOW,
    );
    expect(upper.accepted).toHaveLength(1);
  });

  it('accepts a submission that shows as a newer vetting than the one stored before it', () => {
    const open = [submission(minutesAgo(1))];
    const stored = [education('Denied', '2025-01-01T00:00:00Z')];
    const newer = settleOpenSubmissions(open, stored, [education('Denied', minutesAgo(1))], NOW);
    expect(newer.accepted).toEqual(open);
    // A decided vetting back in review is a new submission even without a date.
    const reviewed = settleOpenSubmissions(open, stored, [education('InReview')], NOW);
    expect(reviewed.accepted).toEqual(open);
  });

  it('keeps a submission open while Partner Center still lists only the old vetting', () => {
    const open = [submission(minutesAgo(14))];
    const stored = [education('Denied', '2025-01-01T00:00:00Z')];
    const settled = settleOpenSubmissions(open, stored, stored, NOW);
    expect(settled).toEqual({ accepted: [], abandoned: [], stillOpen: open });
    const notListed = settleOpenSubmissions(open, [], [], NOW);
    expect(notListed.stillOpen).toEqual(open);
  });

  it('abandons a submission that never showed within the grace period, and only then', () => {
    const atGrace = submission(new Date(NOW.getTime() - OPEN_SUBMISSION_GRACE_MS).toISOString());
    const pastGrace = submission(
      new Date(NOW.getTime() - OPEN_SUBMISSION_GRACE_MS - 1).toISOString(),
    );
    const settled = settleOpenSubmissions([atGrace, pastGrace], [], [], NOW);
    expect(settled).toEqual({ accepted: [], abandoned: [pastGrace], stillOpen: [atGrace] });
  });

  it('settles each submission by its own qualification', () => {
    const educationSubmission = submission(minutesAgo(1));
    const gccSubmission = submission(minutesAgo(30), 'GovernmentCommunityCloud');
    const settled = settleOpenSubmissions(
      [educationSubmission, gccSubmission],
      [],
      [education('InReview')],
      NOW,
    );
    expect(settled).toEqual({
      accepted: [educationSubmission],
      abandoned: [gccSubmission],
      stillOpen: [],
    });
  });
});

describe('withLateAcceptances and pruneAcceptances', () => {
  const acceptedAt = minutesAgo(5);
  const accepted = education('InReview', acceptedAt);
  const record: CustomerRecord = {
    ...emptyRecord(customerId),
    qualifications: [accepted, { qualification: 'StateOwnedEntity' }],
    lastSyncedAt: new Date(minutesAgo(60)),
    recentlyAccepted: [{ qualification: 'Education', acceptedAt }],
  };
  const before = new Date(Date.parse(acceptedAt) - 1000);
  const after = new Date(Date.parse(acceptedAt) + 1000);

  it('keeps the accepted entry against an observation that started before the acceptance', () => {
    expect(withLateAcceptances(record, [], before)).toEqual([accepted]);
    const old = education('Denied', '2025-01-01T00:00:00Z');
    expect(withLateAcceptances(record, [old], before)).toEqual([accepted]);
    // The acceptance instant itself is not "after" it.
    expect(withLateAcceptances(record, [old], new Date(acceptedAt))).toEqual([accepted]);
  });

  it('lets an observation that already shows the vetting, or started later, win', () => {
    const decided = education('Approved', acceptedAt);
    expect(withLateAcceptances(record, [decided], before)).toEqual([decided]);
    expect(withLateAcceptances(record, [], after)).toEqual([]);
    const old = education('Denied', '2025-01-01T00:00:00Z');
    expect(withLateAcceptances(record, [old], after)).toEqual([old]);
  });

  it('leaves qualifications without a recent acceptance to the observation', () => {
    const result = withLateAcceptances(record, [education('InReview', acceptedAt)], before);
    expect(result.map((q) => q.qualification)).toEqual(['Education']);
  });

  it('prunes acceptances only once they are older than the grace period', () => {
    const keep = { qualification: 'Education', acceptedAt: minutesAgo(15) };
    const drop = {
      qualification: 'GovernmentCommunityCloud',
      acceptedAt: new Date(NOW.getTime() - OPEN_SUBMISSION_GRACE_MS - 1).toISOString(),
    };
    const future = { qualification: 'StateOwnedEntity', acceptedAt: minutesAgo(-1) };
    expect(pruneAcceptances([keep, drop, future], NOW)).toEqual([keep, future]);
  });

  it('an observation that started before an acceptance can never remove it (property)', () => {
    const DAY = 24 * 60 * 60 * 1000;
    const dateArb = fc.option(
      fc.integer({ min: 0, max: 30 * DAY }).map((ms) => new Date(Date.UTC(2025, 0, 1) + ms)),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * DAY }),
        fc.integer({ min: 0, max: 2 * DAY }),
        fc.constantFrom('InReview', 'Approved', 'Denied'),
        dateArb,
        fc.boolean(),
        (acceptedOffset, earlierBy, oldStatus, oldDate, listed) => {
          const at = Date.UTC(2025, 0, 1) + acceptedOffset;
          const acceptedEntry = education('InReview', new Date(at).toISOString());
          const observedAt = new Date(at - earlierBy);
          const start: CustomerRecord = {
            ...record,
            qualifications: [acceptedEntry],
            recentlyAccepted: pruneAcceptances(
              [{ qualification: 'Education', acceptedAt: new Date(at).toISOString() }],
              observedAt,
            ),
          };
          // The older answer shows the previous vetting (dated no later than the acceptance).
          const previousDate =
            oldDate === undefined ? undefined : new Date(Math.min(oldDate.getTime(), at - 1));
          const observed = listed ? [education(oldStatus, previousDate?.toISOString())] : [];
          // Pruned with the observation's own time, the acceptance is still there...
          expect(start.recentlyAccepted).toHaveLength(1);
          // ...and the stored entry survives the older observation.
          const result = withLateAcceptances(start, observed, observedAt);
          if (previousDate !== undefined || !listed) expect(result).toEqual([acceptedEntry]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('vettings without a creation date', () => {
  const customerId = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' as CustomerId;
  const acceptedAt = '2025-06-01T12:00:00.000Z';

  it('an older read without dates cannot remove a newer acceptance', () => {
    const accepted = {
      qualification: 'Education',
      vettingStatus: 'InReview',
      vettingCreateDate: acceptedAt,
    };
    const record = {
      ...emptyRecord(customerId),
      qualifications: [accepted],
      recentlyAccepted: [{ qualification: 'Education', acceptedAt }],
    };
    const observed = withLateAcceptances(
      record,
      [{ qualification: 'Education', vettingStatus: 'Denied' }],
      new Date('2025-06-01T11:59:00.000Z'),
    );
    expect(observed).toEqual([accepted]);
  });

  it('a dated vetting settles a submission over an undated decided one', () => {
    const submission = {
      requestId: 'r',
      qualification: 'Education',
      submittedAt: '2025-06-01T11:59:00.000Z',
      correlationId: 'c',
    };
    const settled = settleOpenSubmissions(
      [submission],
      [{ qualification: 'Education', vettingStatus: 'Denied' }],
      [
        {
          qualification: 'Education',
          vettingStatus: 'Denied',
          vettingCreateDate: '2025-06-01T11:59:30Z',
        },
      ],
      new Date('2025-06-01T12:00:00.000Z'),
    );
    expect(settled.accepted).toEqual([submission]);
  });
});
