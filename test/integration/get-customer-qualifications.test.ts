import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { startTestGateway, useTestGateway } from '../support/test-gateway.js';

const env = useTestGateway();

const qualificationsUrl = (customerId: string, query = ''): string =>
  `${env.api}/customers/${customerId}/qualifications${query}`;

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as Record<string, unknown>;
  return { response, body };
}

async function upstreamCalls(customerId: string) {
  return (await env.simulator.requests()).filter((r) => r.path.includes(customerId));
}

describe('GET /customers/{customerId}/qualifications', () => {
  it('reads Partner Center on a miss, then serves the cache with no upstream call', async () => {
    const customerId = SEEDED_CUSTOMERS.educationApproved;
    const first = await getJson(qualificationsUrl(customerId));
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.body).toMatchObject({
      customerId,
      qualifications: [{ qualification: 'Education', vettingStatus: 'Approved' }],
      source: 'partner-center',
      stale: false,
    });
    expect(Date.parse(first.body.lastSyncedAt as string)).not.toBeNaN();

    const second = await getJson(qualificationsUrl(customerId));
    expect(second.response.status).toBe(200);
    expect(second.body).toMatchObject({ source: 'cache', stale: false });
    expect(second.body.qualifications).toEqual(first.body.qualifications);
    expect(await upstreamCalls(customerId)).toHaveLength(1);
  });

  it('refresh=true reads Partner Center again', async () => {
    const customerId = SEEDED_CUSTOMERS.stateOwnedEntity;
    await getJson(qualificationsUrl(customerId));
    const refreshed = await getJson(qualificationsUrl(customerId, '?refresh=true'));
    expect(refreshed.body).toMatchObject({
      source: 'partner-center',
      qualifications: [{ qualification: 'StateOwnedEntity' }],
    });
    expect(await upstreamCalls(customerId)).toHaveLength(2);
  });

  it('a refresh=true that finds nothing new writes nothing while the stored sync is younger than CACHE_SYNC_WRITE_INTERVAL_SECONDS, and every time with 0', async () => {
    const lastSynced = async (api: string, customerId: string, query = '') => {
      const { body } = await getJson(`${api}/customers/${customerId}/qualifications${query}`);
      return body.lastSyncedAt as string;
    };
    const customerId = SEEDED_CUSTOMERS.gccApproved;
    const first = await lastSynced(env.api, customerId, '?refresh=true');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await lastSynced(env.api, customerId, '?refresh=true');
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
    expect(await lastSynced(env.api, customerId)).toBe(first);

    const everyTime = await startTestGateway({
      settings: { CACHE_SYNC_WRITE_INTERVAL_SECONDS: '0' },
    });
    try {
      await lastSynced(everyTime.api, customerId, '?refresh=true');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const confirmed = await lastSynced(everyTime.api, customerId, '?refresh=true');
      expect(await lastSynced(everyTime.api, customerId)).toBe(confirmed);
    } finally {
      await everyTime.close();
    }
  });

  it('answers [] for a customer with no qualifications', async () => {
    const { response, body } = await getJson(qualificationsUrl(SEEDED_CUSTOMERS.noQualifications));
    expect(response.status).toBe(200);
    expect(body.qualifications).toEqual([]);
  });

  it('normalises an upper-case id to lower case', async () => {
    const customerId = SEEDED_CUSTOMERS.educationInReview;
    const { response, body } = await getJson(qualificationsUrl(customerId.toUpperCase()));
    expect(response.status).toBe(200);
    expect(body.customerId).toBe(customerId);
    expect(body.qualifications).toEqual([
      expect.objectContaining({ qualification: 'Education', vettingStatus: 'InReview' }),
    ]);
  });

  it.each(['not-a-guid', '12345', '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4', '..%2F..%2Fadmin'])(
    'refuses the id %s with 400 and no upstream call',
    async (id) => {
      const { response, body } = await getJson(qualificationsUrl(id));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, title: 'Invalid request' });
      expect(body.errors).toEqual([expect.objectContaining({ path: 'path.customerId' })]);
      expect(await env.simulator.requests()).toHaveLength(0);
    },
  );

  it('refuses unknown and malformed query parameters', async () => {
    const customerId = SEEDED_CUSTOMERS.educationApproved;
    for (const query of ['?refresh=yes', '?foo=1', '?refresh=true&refresh=false']) {
      const { response, body } = await getJson(qualificationsUrl(customerId, query));
      expect(response.status, query).toBe(400);
      expect((body.errors as { path: string }[])[0]?.path).toMatch(/^query\./);
    }
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('passes Partner Center 404 through as 404 with the upstream detail', async () => {
    const { response, body } = await getJson(qualificationsUrl(randomUUID()));
    expect(response.status).toBe(404);
    expect(body).toMatchObject({ status: 404, upstream: { status: 404, code: 60003 } });
  });

  it('answers If-None-Match with the current ETag by 304', async () => {
    const customerId = SEEDED_CUSTOMERS.educationApproved;
    const first = await fetch(qualificationsUrl(customerId));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(qualificationsUrl(customerId), {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const other = await fetch(qualificationsUrl(customerId), {
      headers: { 'if-none-match': 'W/"other"' },
    });
    expect(other.status).toBe(200);
  });

  it('serves the cached copy as stale when Partner Center fails', async () => {
    const customerId = SEEDED_CUSTOMERS.stateOwnedEntity;
    await getJson(qualificationsUrl(customerId));
    await env.simulator.fault({
      path: `/v1/customers/${customerId}/qualifications`,
      status: 503,
      times: 10,
    });
    const { response, body } = await getJson(qualificationsUrl(customerId, '?refresh=true'));
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      source: 'cache',
      stale: true,
      qualifications: [{ qualification: 'StateOwnedEntity' }],
    });
  });

  // Partner Center failing, and nothing cached: what the caller gets, after how many calls.
  it.each([
    {
      when: 'a 500 on every attempt',
      fault: { status: 500, times: 10 },
      status: 502,
      calls: 4,
      body: { upstream: { status: 500 } },
      retryAfter: null,
    },
    {
      when: 'a 502 on every attempt (gives up after three retries)',
      fault: { status: 502, times: 10 },
      status: 502,
      calls: 4,
      body: { upstream: { status: 502 } },
      retryAfter: null,
    },
    {
      when: 'a 429 whose Retry-After does not fit the deadline',
      fault: { status: 429, retryAfterSeconds: 30 },
      status: 503,
      calls: 1,
      body: { title: 'Upstream throttled' },
      retryAfter: '30',
    },
  ])('answers $status for $when', async ({ fault, status, calls, body, retryAfter }) => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({ path: `/v1/customers/${customerId}/qualifications`, ...fault });

    const { response, body: answer } = await getJson(qualificationsUrl(customerId));

    expect(response.status).toBe(status);
    expect(answer).toMatchObject({ status, ...body });
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(await upstreamCalls(customerId)).toHaveLength(calls);
  });

  it('retries a 5xx with the same MS-RequestId', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      path: `/v1/customers/${customerId}/qualifications`,
      status: 503,
      times: 2,
    });
    const { response } = await getJson(qualificationsUrl(customerId));
    expect(response.status).toBe(200);
    const calls = await upstreamCalls(customerId);
    expect(calls).toHaveLength(3);
    const ids = new Set(calls.map((c) => c.headers['ms-requestid']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('waits out a Retry-After that fits the deadline, then succeeds', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      path: `/v1/customers/${customerId}/qualifications`,
      status: 429,
      retryAfterSeconds: 1,
    });
    const { response } = await getJson(qualificationsUrl(customerId));
    expect(response.status).toBe(200);
    const calls = await upstreamCalls(customerId);
    expect(calls).toHaveLength(2);
    const [first, second] = calls.map((c) => Date.parse(c.at));
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('aborts a hanging upstream within its deadline and answers 504', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      path: `/v1/customers/${customerId}/qualifications`,
      status: 0,
      times: 10,
    });
    const { response, body } = await getJson(qualificationsUrl(customerId));
    expect(response.status).toBe(504);
    expect(body).toMatchObject({ status: 504 });
  });

  it('passes an unknown vetting status through as data, and logs it', async () => {
    const customerId = await env.simulator.createCustomer([
      {
        qualification: 'Education',
        vettingStatus: 'UnderAppeal',
        vettingCreateDate: '2026-11-01T00:00:00Z',
      },
    ]);
    const { response, body } = await getJson(qualificationsUrl(customerId));
    expect(response.status).toBe(200);
    expect(body.qualifications).toEqual([
      expect.objectContaining({ qualification: 'Education', vettingStatus: 'UnderAppeal' }),
    ]);
    expect(
      env.logs.some((line) => line.includes('does not know') && line.includes('UnderAppeal')),
    ).toBe(true);
  });

  it('normalises the vettingCreatedDate spelling from upstream', async () => {
    const typo = await startTestGateway({ simulator: { emitVettingCreatedDate: true } });
    try {
      const { body } = await getJson(
        `${typo.api}/customers/${SEEDED_CUSTOMERS.educationInReview}/qualifications`,
      );
      const [qualification] = body.qualifications as Record<string, unknown>[];
      expect(qualification).toHaveProperty('vettingCreateDate');
      expect(qualification).not.toHaveProperty('vettingCreatedDate');
    } finally {
      await typo.close();
    }
  });
});

describe('correlation', () => {
  it("keeps the caller's x-correlation-id and sends it to Partner Center as MS-CorrelationId", async () => {
    const customerId = await env.simulator.createCustomer();
    const correlationId = randomUUID();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(qualificationsUrl(customerId), {
      headers: {
        'x-correlation-id': correlationId,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    const [call] = await upstreamCalls(customerId);
    expect(call?.headers['ms-correlationid']).toBe(correlationId);
    expect(call?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(call?.headers.traceparent).not.toContain('00f067aa0ba902b7');
    expect(env.logs.some((line) => line.includes(correlationId))).toBe(true);
  });

  it('generates a correlation id when the caller sends none or a bad one', async () => {
    const response = await fetch(qualificationsUrl('not-a-guid'), {
      headers: { 'x-correlation-id': 'not a guid' },
    });
    const generated = response.headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const body = (await response.json()) as { correlationId: string };
    expect(body.correlationId).toBe(generated);
  });
});
