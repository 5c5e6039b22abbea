import { beforeEach, describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { SimClient, containing, json, qualificationsPath, useSimulator } from './sim-client.js';

const START = new Date('2026-11-25T10:00:00.000Z');
let clock = START;
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);
const C = SEEDED_CUSTOMERS;
const START_TEXT = '2026-11-25T10:00:00Z';

const sim = useSimulator({ now: () => clock, vettingDelaySeconds: 60 }, { reset: false });
beforeEach(async () => {
  clock = START;
  await sim.reset();
});

describe('the vetting clock', () => {
  it('approves an even-ending customer once the delay has passed, not before', async () => {
    clock = at(59.999);
    expect(await sim.qualificationsOf(C.educationInReview)).toStrictEqual([
      { qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: START_TEXT },
    ]);
    clock = at(60);
    expect(await sim.qualificationsOf(C.educationInReview)).toStrictEqual([
      { qualification: 'Education', vettingStatus: 'Approved', vettingCreateDate: START_TEXT },
    ]);
  });

  it('denies an odd-ending customer with the qualification-specific reason', async () => {
    clock = at(61);
    expect(await sim.qualificationsOf(C.educationInReviewToBeDenied)).toStrictEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Denied',
        vettingReason: 'Not an Education Customer',
        vettingCreateDate: START_TEXT,
      },
    ]);
  });

  it('counts from each submission and decides GCC with its own reason', async () => {
    const odd = 'abcdefab-0000-4000-8000-00000000000f';
    await sim.control('POST', '/customers', { customerId: odd });
    clock = at(30);
    const res = await sim.post(qualificationsPath(odd), {
      qualification: 'GovernmentCommunityCloud',
      validationCode: 'c0de0001-0000-4000-8000-000000000001',
    });
    expect(res.status).toBe(201);
    clock = at(89);
    expect(await sim.qualificationsOf(odd)).toMatchObject([{ vettingStatus: 'InReview' }]);
    clock = at(90);
    expect(await sim.qualificationsOf(odd)).toStrictEqual([
      {
        qualification: 'GovernmentCommunityCloud',
        vettingStatus: 'Denied',
        vettingReason: 'Not a government entity',
        vettingCreateDate: '2026-11-25T10:00:30Z',
      },
    ]);
  });

  it('counts a control-seeded InReview from its vettingCreateDate', async () => {
    const id = 'abcdefab-0000-4000-8000-000000000002';
    await sim.control('POST', '/customers', {
      customerId: id,
      qualifications: [
        {
          qualification: 'Education',
          vettingStatus: 'InReview',
          vettingCreateDate: '2026-11-25T09:00:00Z',
        },
      ],
    });
    expect(await sim.qualificationsOf(id)).toMatchObject([{ vettingStatus: 'Approved' }]);
  });

  it('never decides on its own when the delay is 0', async () => {
    await sim.control('PUT', '/settings', { vettingDelaySeconds: 0 });
    clock = at(86_400 * 365);
    expect(await sim.qualificationsOf(C.educationInReview)).toMatchObject([
      { vettingStatus: 'InReview' },
    ]);
  });

  it('is visible through the control API as well', async () => {
    clock = at(60);
    const customers = (
      await sim.control<{ customerId: string; qualifications: unknown[] }[]>('GET', '/customers')
    ).body;
    const inReview = customers.find((c) => c.customerId === C.educationInReview);
    expect(inReview?.qualifications).toMatchObject([{ vettingStatus: 'Approved' }]);
  });
});

describe('POST /_simulator/customers/{id}/qualifications/{qualification}/decision', () => {
  const path = (id: string, q = 'Education') => `/customers/${id}/qualifications/${q}/decision`;

  it('approves and answers 200 with the updated qualification', async () => {
    const res = await sim.control('POST', path(C.educationInReview), { vettingStatus: 'Approved' });
    expect(res).toMatchObject({
      status: 200,
      body: {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: START_TEXT,
      },
    });
    expect(await sim.qualificationsOf(C.educationInReview)).toStrictEqual([res.body]);
  });

  it('denies with the given reason, or the default one', async () => {
    const custom = await sim.control('POST', path(C.educationInReview, 'EDUCATION'), {
      vettingStatus: 'Denied',
      vettingReason: 'Not an Academic Domain',
    });
    expect(custom.body).toStrictEqual({
      qualification: 'Education',
      vettingStatus: 'Denied',
      vettingReason: 'Not an Academic Domain',
      vettingCreateDate: START_TEXT,
    });
    const fallback = await sim.control('POST', path(C.gccApproved, 'governmentcommunitycloud'), {
      vettingStatus: 'Denied',
    });
    expect(fallback.body).toMatchObject({
      vettingStatus: 'Denied',
      vettingReason: 'Not a government entity',
    });
  });

  it('answers 404 for an unknown customer or qualification', async () => {
    expect(
      (
        await sim.control('POST', path('abcdefab-cdef-4abc-8def-abcdefabcdef'), {
          vettingStatus: 'Approved',
        })
      ).status,
    ).toBe(404);
    expect((await sim.control('POST', path('nope'), { vettingStatus: 'Approved' })).status).toBe(
      404,
    );
    const missing = await sim.control('POST', path(C.noQualifications), {
      vettingStatus: 'Approved',
    });
    expect(missing).toMatchObject({
      status: 404,
      body: { message: containing('has no Education') },
    });
  });

  it('answers 400 for a bad body or a qualification without vetting', async () => {
    for (const body of [{ vettingStatus: 'Maybe' }, {}, { vettingStatus: 'Approved', extra: 1 }]) {
      const res = await sim.control('POST', path(C.educationInReview), body);
      expect(res).toMatchObject({ status: 400, body: { message: 'Invalid decision.' } });
    }
    const soe = await sim.control('POST', path(C.stateOwnedEntity, 'StateOwnedEntity'), {
      vettingStatus: 'Approved',
    });
    expect(soe.status).toBe(400);
    expect(await sim.qualificationsOf(C.educationInReview)).toMatchObject([
      { vettingStatus: 'InReview' },
    ]);
  });
});

describe('emitVettingCreatedDate', () => {
  it('writes the doc typo in GET and POST answers when started with it', async () => {
    const typo = await SimClient.start({ now: () => START, emitVettingCreatedDate: true });
    try {
      expect(await typo.qualificationsOf(C.educationApproved)).toStrictEqual([
        {
          qualification: 'Education',
          vettingStatus: 'Approved',
          vettingCreatedDate: '2020-12-04T20:54:24Z',
        },
      ]);
      const res = await typo.post(qualificationsPath(C.noQualifications), {
        qualification: 'Education',
        educationSegment: 'K12',
      });
      expect(await json(res)).toStrictEqual({
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreatedDate: START_TEXT,
      });
    } finally {
      await typo.close();
    }
  });

  it('can be switched through PUT /_simulator/settings', async () => {
    const res = await sim.control('PUT', '/settings', { emitVettingCreatedDate: true });
    expect(res).toStrictEqual({
      status: 200,
      headers: res.headers,
      body: { vettingDelaySeconds: 60, rateLimitPerSecond: null, emitVettingCreatedDate: true },
    });
    expect(await sim.qualificationsOf(C.educationApproved)).toMatchObject([
      { vettingCreatedDate: '2020-12-04T20:54:24Z' },
    ]);
  });
});
