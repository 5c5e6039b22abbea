import { describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_PARTNER_ID,
  SEEDED_VALIDATION_CODES,
} from '../../dev/partner-center-simulator/index.js';
import { apiFault, json, qualificationsPath, useSimulator } from './sim-client.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const C = SEEDED_CUSTOMERS;

const sim = useSimulator({ now: () => NOW }, { reset: false });

describe('GET /v1/customers/{id}/qualifications', () => {
  it('answers a bare array in Partner Center date format', async () => {
    const res = await sim.get(qualificationsPath(C.educationApproved));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(
      '[{"qualification":"Education","vettingStatus":"Approved","vettingCreateDate":"2020-12-04T20:54:24Z"}]',
    );
  });

  it('gives StateOwnedEntity no vetting fields', async () => {
    const res = await sim.get(qualificationsPath(C.stateOwnedEntity));
    expect(await res.text()).toBe('[{"qualification":"StateOwnedEntity"}]');
  });

  it('answers [] for a customer without qualifications', async () => {
    const res = await sim.get(qualificationsPath(C.noQualifications));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[]');
  });

  it('shows the seeded InReview, Denied and GCC customers', async () => {
    expect(await sim.qualificationsOf(C.educationInReview)).toStrictEqual([
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2026-11-25T10:00:00Z',
      },
    ]);
    expect(await sim.qualificationsOf(C.educationDenied)).toStrictEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Denied',
        vettingReason: 'Not an Education Customer',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
    expect(await sim.qualificationsOf(C.gccApproved)).toStrictEqual([
      {
        qualification: 'GovernmentCommunityCloud',
        vettingStatus: 'Approved',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
  });

  it('matches customer ids and literal path segments case-insensitively', async () => {
    const upper = await sim.get(qualificationsPath(C.educationApproved.toUpperCase()));
    expect(upper.status).toBe(200);
    expect(await json(upper)).toStrictEqual(await sim.qualificationsOf(C.educationApproved));
    const mixed = await sim.get(`/v1/Customers/${C.stateOwnedEntity}/Qualifications`);
    expect(mixed.status).toBe(200);
  });

  it('answers 400 / 2000 for an id that is not a GUID', async () => {
    for (const id of ['not-a-guid', 'all', '{11111111-1111-4111-8111-111111111111}']) {
      const res = await sim.get(qualificationsPath(id));
      expect(res.status).toBe(400);
      expect(await json(res)).toStrictEqual(apiFault(2000, 'Tenant Id must be a GUID.'));
    }
  });

  it('answers 404 / 60003 for an unknown GUID', async () => {
    const res = await sim.get(qualificationsPath('abcdefab-cdef-4abc-8def-abcdefabcdef'));
    expect(res.status).toBe(404);
    expect(await json(res)).toStrictEqual(apiFault(60003, 'Tenant not found'));
  });

  it('answers 403 / 20002 for a customer without a commerce relationship', async () => {
    const res = await sim.get(qualificationsPath(C.noCommerceRelationship));
    expect(res.status).toBe(403);
    expect(await json(res)).toStrictEqual(
      apiFault(
        20002,
        `The partner ID ${SEEDED_PARTNER_ID} has no commerce relationship with the customer ID ${C.noCommerceRelationship}.`,
      ),
    );
  });
});

describe('GET /v1/customers/all/validations', () => {
  it('lists the seeded validation codes as a bare array', async () => {
    const res = await sim.get('/v1/customers/all/validations');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toStrictEqual(SEEDED_VALIDATION_CODES);
    expect(body).toHaveLength(2);
  });

  it('serves validations only under "all"', async () => {
    const res = await sim.get(`/v1/customers/${C.educationApproved}/validations`);
    expect(res.status).toBe(404);
  });
});

describe('unknown paths and methods', () => {
  it('answers 404 ApiFault for an unknown /v1 path, including the deprecated singular one', async () => {
    for (const path of [
      '/v1/nothing',
      `/v1/customers/${C.educationApproved}/qualification`,
      '/v1',
    ]) {
      const res = await sim.get(path);
      expect(res.status, path).toBe(404);
      expect(await json(res)).toStrictEqual(
        apiFault(404, `No Partner Center resource at ${path}.`),
      );
    }
  });

  it('answers 404 outside /v1 and /_simulator', async () => {
    const res = await sim.get('/api/v1/health');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ code: 404, data: [] });
  });

  it('answers 405 with Allow for a wrong method on a known path', async () => {
    const del = await sim.send('DELETE', qualificationsPath(C.educationApproved), undefined, {
      token: 'x',
    });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST');
    expect(await json(del)).toStrictEqual(
      apiFault(
        405,
        `The method DELETE is not allowed on ${qualificationsPath(C.educationApproved)}.`,
      ),
    );
    const post = await sim.post('/v1/customers/all/validations', {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('response headers', () => {
  it('echoes MS-RequestId and MS-CorrelationId and extends MS-CV', async () => {
    const res = await sim.get(qualificationsPath(C.educationApproved), {
      headers: {
        'MS-RequestId': 'aaaaaaaa-0000-4000-8000-000000000001',
        'MS-CorrelationId': 'bbbbbbbb-0000-4000-8000-000000000002',
        'MS-CV': 'abcDEF123.4',
      },
    });
    expect(res.headers.get('ms-requestid')).toBe('aaaaaaaa-0000-4000-8000-000000000001');
    expect(res.headers.get('ms-correlationid')).toBe('bbbbbbbb-0000-4000-8000-000000000002');
    expect(res.headers.get('ms-cv')).toBe('abcDEF123.4.0');
  });

  it('generates the ids when absent and always sends MS-CV, MS-ServerId and Date', async () => {
    const res = await sim.get(qualificationsPath('nope'));
    const requestId = res.headers.get('ms-requestid') ?? '';
    const correlationId = res.headers.get('ms-correlationid') ?? '';
    expect(requestId).toMatch(GUID);
    expect(correlationId).toMatch(GUID);
    expect(correlationId).not.toBe(requestId);
    expect(res.headers.get('ms-cv')).toMatch(/^[A-Za-z0-9+/]{16}\.0$/);
    expect(res.headers.get('ms-serverid')).toBe('partner-center-simulator');
    expect(res.headers.get('date')).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('sends the envelope headers on errors without a token too', async () => {
    const res = await sim.get(qualificationsPath(C.educationApproved), {
      token: null,
      headers: { 'MS-RequestId': 'cccccccc-0000-4000-8000-000000000003' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('ms-requestid')).toBe('cccccccc-0000-4000-8000-000000000003');
    expect(res.headers.get('ms-serverid')).toBe('partner-center-simulator');
  });
});
