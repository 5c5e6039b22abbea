import { describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_VALIDATION_CODES,
  type ValidationCode,
} from '../../dev/partner-center-simulator/index.js';
import { APP_USER, json, qualificationsPath, useSimulator } from './sim-client.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const C = SEEDED_CUSTOMERS;

const sim = useSimulator({ now: () => NOW });

describe('GET /_simulator/requests', () => {
  it('records method, path, query, lower-case headers, body and time, oldest first', async () => {
    await sim.get(`${qualificationsPath(C.educationApproved)}?refresh=true&a=b`, {
      headers: { 'MS-RequestId': 'req-1', 'X-Locale': 'en-US' },
    });
    await sim.post(qualificationsPath(C.noQualifications), { qualification: 'StateOwnedEntity' });
    await sim.post(qualificationsPath(C.noQualifications), 'not json');
    await sim.control('GET', '/customers');
    const log = await sim.requests();
    expect(log).toHaveLength(3);
    expect(log[0]).toStrictEqual({
      method: 'GET',
      path: qualificationsPath(C.educationApproved),
      query: { refresh: 'true', a: 'b' },
      headers: expect.objectContaining({
        authorization: 'app-only',
        'ms-requestid': 'req-1',
        'x-locale': 'en-US',
      }) as unknown,
      body: null,
      at: NOW.toISOString(),
    });
    expect(log[1]).toMatchObject({
      method: 'POST',
      query: {},
      headers: { authorization: 'app+user', 'content-type': 'application/json' },
      body: { qualification: 'StateOwnedEntity' },
    });
    expect(log[2]?.body).toBe('not json');
    expect(JSON.stringify(log)).not.toContain(APP_USER);
  });

  it('is cleared by DELETE', async () => {
    await sim.get(qualificationsPath(C.educationApproved));
    expect((await sim.control('DELETE', '/requests')).status).toBe(204);
    expect(await sim.requests()).toStrictEqual([]);
  });
});

describe('POST /_simulator/reset', () => {
  it('restores customers, codes, faults, the request log, replays and settings', async () => {
    const created = 'dddddddd-0000-4000-8000-000000000001';
    await sim.control('POST', '/customers', { customerId: created });
    const gcc = {
      qualification: 'GovernmentCommunityCloud',
      validationCode: SEEDED_VALIDATION_CODES[1]?.validationId,
    };
    const replayed = { headers: { 'MS-RequestId': 'before-reset' } };
    expect((await sim.post(qualificationsPath(C.noQualifications), gcc, replayed)).status).toBe(
      201,
    );
    await sim.control('POST', '/faults', { status: 500, path: '/v1/nowhere' });
    await sim.control('PUT', '/settings', { vettingDelaySeconds: 5, rateLimitPerSecond: 1000 });

    const res = await sim.control('POST', '/reset');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect(await sim.requests()).toStrictEqual([]);
    expect((await sim.control('GET', '/faults')).body).toStrictEqual([]);
    expect((await sim.control('GET', '/settings')).body).toStrictEqual({
      vettingDelaySeconds: 0,
      rateLimitPerSecond: null,
      emitVettingCreatedDate: false,
    });
    expect((await sim.get(qualificationsPath(created))).status).toBe(404);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([]);
    const codes = (await json(await sim.get('/v1/customers/all/validations'))) as ValidationCode[];
    expect(codes).toStrictEqual(SEEDED_VALIDATION_CODES);
    // The replay store is empty again: the same MS-RequestId now has an effect.
    expect((await sim.post(qualificationsPath(C.noQualifications), gcc, replayed)).status).toBe(
      201,
    );
    expect(await sim.qualificationsOf(C.noQualifications)).toMatchObject([
      { vettingStatus: 'InReview' },
    ]);
  });
});

describe('settings and routing of the control API', () => {
  it('GET and PUT /_simulator/settings', async () => {
    expect((await sim.control('GET', '/settings')).body).toStrictEqual({
      vettingDelaySeconds: 0,
      rateLimitPerSecond: null,
      emitVettingCreatedDate: false,
    });
    const put = await sim.control('PUT', '/settings', {
      vettingDelaySeconds: 30,
      rateLimitPerSecond: 50,
    });
    expect(put).toMatchObject({
      status: 200,
      body: { vettingDelaySeconds: 30, rateLimitPerSecond: 50, emitVettingCreatedDate: false },
    });
    for (const bad of [
      { vettingDelaySeconds: -1 },
      { rateLimitPerSecond: 0 },
      { emitVettingCreatedDate: 'yes' },
      { other: 1 },
    ]) {
      expect((await sim.control('PUT', '/settings', bad)).status).toBe(400);
    }
  });

  it('answers JSON 404 for an unknown endpoint and 405 with Allow for a wrong method', async () => {
    const missing = await sim.control('GET', '/nothing');
    expect(missing).toMatchObject({
      status: 404,
      body: { message: 'No simulator control endpoint /_simulator/nothing.' },
    });
    expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const wrong = await sim.control('PATCH', '/faults');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST, DELETE');
  });
});
