import { beforeEach, describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_VALIDATION_CODES,
  type ValidationCode,
} from '../../dev/partner-center-simulator/index.js';
import { apiFault, containing, json, qualificationsPath, useSimulator } from './sim-client.js';

let clock = new Date('2026-11-25T10:00:00.000Z');
const C = SEEDED_CUSTOMERS;
const EDU = { qualification: 'Education', educationSegment: 'K12' };

const sim = useSimulator({ now: () => clock }, { reset: false });
beforeEach(async () => {
  clock = new Date('2026-11-25T10:00:00.000Z');
  await sim.reset();
});

async function post(customerId: string, body: unknown, requestId: string, correlationId?: string) {
  const res = await sim.post(qualificationsPath(customerId), body, {
    headers: {
      'MS-RequestId': requestId,
      ...(correlationId ? { 'MS-CorrelationId': correlationId } : {}),
    },
  });
  return { status: res.status, body: await json(res), headers: res.headers };
}

describe('POST replay by MS-RequestId', () => {
  it('returns exactly the first answer and counts no second attempt', async () => {
    const first = await post(C.noQualifications, EDU, 'r-1');
    expect(first.status).toBe(201);
    clock = new Date('2026-11-25T10:05:00.000Z');
    const replay = await post(C.noQualifications, EDU, 'r-1', 'corr-2');
    expect(replay.status).toBe(201);
    expect(replay.body).toStrictEqual(first.body);
    expect(replay.headers.get('ms-requestid')).toBe('r-1');
    expect(replay.headers.get('ms-correlationid')).toBe('corr-2');
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([first.body]);

    // Had the replay counted, the third real submission below would already be the fourth.
    const deny = () =>
      sim.control('POST', `/customers/${C.noQualifications}/qualifications/education/decision`, {
        vettingStatus: 'Denied',
      });
    await deny();
    expect((await post(C.noQualifications, EDU, 'r-2')).status).toBe(201);
    await deny();
    expect((await post(C.noQualifications, EDU, 'r-3')).status).toBe(201);
    await deny();
    expect((await post(C.noQualifications, EDU, 'r-4')).body).toStrictEqual(
      apiFault(409, containing('already submitted 3 times')),
    );
  });

  it('consumes a validation code once however often the POST is replayed', async () => {
    const body = {
      qualification: 'GovernmentCommunityCloud',
      validationCode: SEEDED_VALIDATION_CODES[1]?.validationId,
    };
    for (let i = 0; i < 3; i++)
      expect((await post(C.noQualifications, body, 'gcc-1')).status).toBe(201);
    const codes = (await json(await sim.get('/v1/customers/all/validations'))) as ValidationCode[];
    expect(codes[1]?.remainingCreates).toBe(0);
  });

  it('replays an error answer too, while a new MS-RequestId is a new attempt', async () => {
    const first = await post(C.educationInReview, EDU, 'conflict-1');
    expect(first.status).toBe(409);
    await sim.control(
      'POST',
      `/customers/${C.educationInReview}/qualifications/Education/decision`,
      {
        vettingStatus: 'Denied',
      },
    );
    const replay = await post(C.educationInReview, EDU, 'conflict-1');
    expect(replay).toMatchObject({ status: 409, body: first.body });
    expect((await post(C.educationInReview, EDU, 'conflict-2')).status).toBe(201);
  });

  it('does not store answers given before the handler (auth failures)', async () => {
    const denied = await sim.post(qualificationsPath(C.noQualifications), EDU, {
      token: 'opaque',
      headers: { 'MS-RequestId': 'auth-1' },
    });
    expect(denied.status).toBe(403);
    expect((await post(C.noQualifications, EDU, 'auth-1')).status).toBe(201);
  });
});
