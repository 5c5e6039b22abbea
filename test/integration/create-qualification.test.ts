import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_VALIDATION_CODES,
} from '../../dev/partner-center-simulator/index.js';
import { startTestGateway, useTestGateway } from '../support/test-gateway.js';

const env = useTestGateway();

const url = (customerId: string): string => `${env.api}/customers/${customerId}/qualifications`;

async function post(
  customerId: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ response: Response; body: Record<string, unknown> }> {
  const response = await fetch(url(customerId), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { response, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function upstreamPosts() {
  return (await env.simulator.requests()).filter((r) => r.method === 'POST');
}

async function simulatorQualifications(customerId: string) {
  const response = await fetch(`${env.simulator.url}/_simulator/customers`);
  const customers = (await response.json()) as { customerId: string; qualifications: object[] }[];
  return customers.find((c) => c.customerId === customerId)?.qualifications;
}

describe('POST /customers/{customerId}/qualifications', () => {
  it('submits Education, answers 201 with Location, and the cache serves it right after', async () => {
    const customerId = await env.simulator.createCustomer();
    const { response, body } = await post(customerId, {
      qualification: 'Education',
      educationSegment: 'K12',
      website: 'https://school.example',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/customers/${customerId}/qualifications`);
    expect(body).toMatchObject({ qualification: 'Education', vettingStatus: 'InReview' });
    expect(typeof body.vettingCreateDate).toBe('string');

    const [sent] = await upstreamPosts();
    expect(sent?.headers.authorization).toBe('app+user');
    expect(sent?.body).toEqual({
      qualification: 'Education',
      educationSegment: 'K12',
      website: 'https://school.example',
    });

    await env.simulator.clearRequests();
    const read = await fetch(url(customerId));
    const cached = (await read.json()) as Record<string, unknown>;
    expect(cached).toMatchObject({
      source: 'cache',
      qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
    });
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('submits GovernmentCommunityCloud with a validation code, matching the name case-insensitively', async () => {
    const customerId = await env.simulator.createCustomer();
    const validationCode = SEEDED_VALIDATION_CODES[0]?.validationId ?? '';
    const { response, body } = await post(customerId, {
      qualification: 'governmentcommunitycloud',
      validationCode,
    });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({
      qualification: 'GovernmentCommunityCloud',
      vettingStatus: 'InReview',
    });
    const [sent] = await upstreamPosts();
    expect(sent?.body).toEqual({ qualification: 'GovernmentCommunityCloud', validationCode });
  });

  it('submits StateOwnedEntity, which carries no vetting', async () => {
    const customerId = await env.simulator.createCustomer();
    const { response, body } = await post(customerId, { qualification: 'StateOwnedEntity' });
    expect(response.status).toBe(201);
    expect(body).toEqual({ qualification: 'StateOwnedEntity' });
    expect(await simulatorQualifications(customerId)).toEqual([
      { qualification: 'StateOwnedEntity' },
    ]);
  });

  describe('refuses what Partner Center would refuse, without calling it', () => {
    it.each([
      ['None', { qualification: 'None' }, 'cannot be set'],
      ['Nonprofit', { qualification: 'nonprofit' }, 'cannot be set'],
      ['an unknown qualification', { qualification: 'Charity' }, 'is not a qualification'],
      ['Education without a segment', { qualification: 'Education' }, 'body.educationSegment'],
      [
        'a bad segment',
        { qualification: 'Education', educationSegment: 'University' },
        'body.educationSegment',
      ],
      [
        'a non-URL website',
        { qualification: 'Education', educationSegment: 'K12', website: 'school' },
        'body.website',
      ],
      ['GCC without a code', { qualification: 'GovernmentCommunityCloud' }, 'body.validationCode'],
      [
        'GCC with an empty code',
        { qualification: 'GovernmentCommunityCloud', validationCode: ' ' },
        'body.validationCode',
      ],
      ['an unknown property', { qualification: 'StateOwnedEntity', extra: 1 }, 'body.extra'],
      [
        'a __proto__ property',
        JSON.parse('{"qualification":"StateOwnedEntity","__proto__":{"x":1}}') as unknown,
        'body.__proto__',
      ],
      ['no qualification', { educationSegment: 'K12' }, 'body.qualification'],
      ['an array', [{ qualification: 'StateOwnedEntity' }], 'body'],
      ['a number as name', { qualification: 1 }, 'body.qualification'],
    ])('%s → 400', async (_name, requestBody, mentioned) => {
      const customerId = SEEDED_CUSTOMERS.noQualifications;
      const { response, body } = await post(customerId, requestBody);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(body)).toContain(mentioned);
      expect(await env.simulator.requests()).toHaveLength(0);
    });

    it('a body that is not JSON → 400; not declared as JSON → 415; over 64 KiB → 413', async () => {
      const customerId = SEEDED_CUSTOMERS.noQualifications;
      expect((await post(customerId, '{"qualification":')).response.status).toBe(400);
      const plain = await fetch(url(customerId), {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{"qualification":"StateOwnedEntity"}',
      });
      expect(plain.status).toBe(415);
      const none = await fetch(url(customerId), {
        method: 'POST',
        body: new Uint8Array([123, 125]),
      });
      expect(none.status).toBe(415);
      const huge = await post(customerId, {
        qualification: 'StateOwnedEntity',
        pad: 'x'.repeat(1024 * 1024),
      });
      expect(huge.response.status).toBe(413);
      expect(await env.simulator.requests()).toHaveLength(0);
    });

    it('a non-GUID customer id or a bad Idempotency-Key → 400', async () => {
      expect(
        (await post('not-a-guid', { qualification: 'StateOwnedEntity' })).response.status,
      ).toBe(400);
      const badKey = await post(
        SEEDED_CUSTOMERS.noQualifications,
        { qualification: 'StateOwnedEntity' },
        { 'idempotency-key': 'x'.repeat(256) },
      );
      expect(badKey.response.status).toBe(400);
      expect(badKey.body.errors).toEqual([
        expect.objectContaining({ path: 'headers.idempotency-key' }),
      ]);
      expect(await env.simulator.requests()).toHaveLength(0);
    });
  });

  describe('maps Partner Center errors', () => {
    it('400 → 400 with the upstream detail (unknown validation code)', async () => {
      const customerId = await env.simulator.createCustomer();
      const { response, body } = await post(customerId, {
        qualification: 'GovernmentCommunityCloud',
        validationCode: 'no-such-code',
      });
      expect(response.status).toBe(400);
      expect(body.upstream).toMatchObject({ status: 400, code: 3000 });
    });

    it('404 → 404 for a customer Partner Center does not know', async () => {
      const { response, body } = await post(randomUUID(), { qualification: 'StateOwnedEntity' });
      expect(response.status).toBe(404);
      expect(body.upstream).toMatchObject({ status: 404, code: 60003 });
    });

    it('409 → 409 when the qualification is already in review', async () => {
      const { response, body } = await post(SEEDED_CUSTOMERS.educationInReview, {
        qualification: 'Education',
        educationSegment: 'HigherEducation',
      });
      expect(response.status).toBe(409);
      expect(body.upstream).toMatchObject({ status: 409 });
    });

    it('401/403 caused by the gateway credentials → 502 without credential detail', async () => {
      for (const status of [401, 403]) {
        const customerId = await env.simulator.createCustomer();
        await env.simulator.fault({ method: 'POST', status });
        const { response, body } = await post(customerId, { qualification: 'StateOwnedEntity' });
        expect(response.status).toBe(502);
        expect(body).not.toHaveProperty('upstream');
      }
      expect(env.logs.some((line) => line.includes('configuration fault'))).toBe(true);
    });

    it('429 → 503 with Retry-After', async () => {
      const customerId = await env.simulator.createCustomer();
      await env.simulator.fault({ method: 'POST', status: 429, retryAfterSeconds: 45 });
      const { response } = await post(customerId, { qualification: 'StateOwnedEntity' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('45');
    });

    it('5xx → 502 after retries that all carry the same MS-RequestId', async () => {
      const customerId = await env.simulator.createCustomer();
      await env.simulator.fault({ method: 'POST', status: 500, times: 10 });
      const { response } = await post(customerId, { qualification: 'StateOwnedEntity' });
      expect(response.status).toBe(502);
      const posts = await upstreamPosts();
      expect(posts.length).toBeGreaterThan(1);
      expect(new Set(posts.map((p) => p.headers['ms-requestid'])).size).toBe(1);
    });
  });

  it('two submissions for the same customer racing each other both end in the cache and the history', async () => {
    const customerId = await env.simulator.createCustomer();
    await fetch(url(customerId));
    const [education, soe] = await Promise.all([
      post(customerId, { qualification: 'Education', educationSegment: 'K12' }),
      post(customerId, { qualification: 'StateOwnedEntity' }),
    ]);
    expect([education.response.status, soe.response.status]).toEqual([201, 201]);
    await env.simulator.clearRequests();
    const cached = (await (await fetch(url(customerId))).json()) as {
      source: string;
      qualifications: { qualification: string }[];
    };
    expect(cached.source).toBe('cache');
    expect(cached.qualifications.map((q) => q.qualification).sort()).toEqual([
      'Education',
      'StateOwnedEntity',
    ]);
    const history = (await (await fetch(`${url(customerId)}/history`)).json()) as {
      events: { qualification: string; from: string | null; to: string; trigger: string }[];
    };
    expect(history.events).toEqual([
      expect.objectContaining({
        qualification: 'Education',
        from: null,
        to: 'InReview',
        trigger: 'submit',
      }),
    ]);
  });

  describe('never submits twice by accident', () => {
    it('replays the first answer for the same Idempotency-Key, with one upstream POST', async () => {
      const customerId = await env.simulator.createCustomer();
      const request = { qualification: 'Education', educationSegment: 'K12' };
      const key = randomUUID();
      const first = await post(customerId, request, { 'idempotency-key': key });
      const second = await post(customerId, request, { 'idempotency-key': key });
      expect(first.response.status).toBe(201);
      expect(second.response.status).toBe(201);
      expect(first.response.headers.get('idempotent-replayed')).toBeNull();
      expect(second.response.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await upstreamPosts()).toHaveLength(1);
    });

    it('refuses the same key with a different body with 422', async () => {
      const customerId = await env.simulator.createCustomer();
      const key = randomUUID();
      await post(customerId, { qualification: 'StateOwnedEntity' }, { 'idempotency-key': key });
      const other = await post(
        customerId,
        { qualification: 'Education', educationSegment: 'K12' },
        { 'idempotency-key': key },
      );
      expect(other.response.status).toBe(422);
      expect(await upstreamPosts()).toHaveLength(1);
    });

    it('makes one upstream POST for 20 concurrent identical submissions with one key', async () => {
      const customerId = await env.simulator.createCustomer();
      const key = randomUUID();
      const request = { qualification: 'Education', educationSegment: 'HigherEducation' };
      await env.simulator.fault({ method: 'POST', delayMs: 300 });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => post(customerId, request, { 'idempotency-key': key })),
      );
      const statuses = answers.map((a) => a.response.status);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(await upstreamPosts()).toHaveLength(1);
      const later = await post(customerId, request, { 'idempotency-key': key });
      expect(later.response.status).toBe(201);
      expect(later.response.headers.get('idempotent-replayed')).toBe('true');
    });

    it('retries a connection reset after Partner Center accepted with the same MS-RequestId: one effect', async () => {
      const customerId = await env.simulator.createCustomer();
      await env.simulator.fault({ method: 'POST', reset: true, phase: 'after' });
      const { response, body } = await post(customerId, {
        qualification: 'Education',
        educationSegment: 'K12',
      });
      expect(response.status).toBe(201);
      expect(body).toMatchObject({ qualification: 'Education', vettingStatus: 'InReview' });
      const posts = await upstreamPosts();
      expect(posts).toHaveLength(2);
      expect(posts[0]?.headers['ms-requestid']).toBe(posts[1]?.headers['ms-requestid']);
      expect(await simulatorQualifications(customerId)).toEqual([
        expect.objectContaining({ qualification: 'Education', vettingStatus: 'InReview' }),
      ]);
      const cached = (await (await fetch(url(customerId))).json()) as Record<string, unknown>;
      expect(cached).toMatchObject({
        source: 'cache',
        qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      });
    });

    it('settles a submission whose answer never came: the next read finds it in Partner Center', async () => {
      const customerId = await env.simulator.createCustomer();
      await fetch(url(customerId)); // cached as [] now
      await env.simulator.fault({ method: 'POST', status: 0, phase: 'after', times: 10 });
      const { response } = await post(customerId, {
        qualification: 'Education',
        educationSegment: 'K12',
      });
      expect(response.status).toBe(504);
      await env.simulator.clearFaults();
      await env.simulator.clearRequests();
      // The cached copy is young, but the open submission makes the read go to Partner Center.
      const read = (await (await fetch(url(customerId))).json()) as Record<string, unknown>;
      expect(read).toMatchObject({
        source: 'partner-center',
        qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      });
      const again = (await (await fetch(url(customerId))).json()) as Record<string, unknown>;
      expect(again.source).toBe('cache');
      expect((await env.simulator.requests()).filter((r) => r.method === 'POST')).toHaveLength(0);
    });
  });

  describe('a throttling storm', () => {
    it('200 POSTs while Partner Center answers 429: no 500, nothing left open, then 201 and cached reads', async () => {
      const customerId = await env.simulator.createCustomer();
      await fetch(url(customerId)); // known and cached
      await env.simulator.fault({
        method: 'POST',
        path: `/v1/customers/${customerId}/qualifications`,
        status: 429,
        retryAfterSeconds: 60,
        times: 1000,
      });
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 200; batch += 20) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => post(customerId, { qualification: 'StateOwnedEntity' })),
        );
        for (const { response } of answers) {
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }
      // Throttled or busy (503 + Retry-After), or refused while a few are in flight (429): never
      // a 500.
      expect([...statuses.keys()].filter((status) => status !== 503 && status !== 429)).toEqual([]);
      expect(statuses.get(503)).toBeGreaterThan(0);
      const record = await env.gateway.services.ledger.store.get(customerId as never);
      expect(record?.value.openSubmissions).toEqual([]);

      await env.simulator.clearFaults();
      const accepted = await post(customerId, { qualification: 'StateOwnedEntity' });
      expect(accepted.response.status).toBe(201);
      await env.simulator.clearRequests();
      for (let i = 0; i < 5; i++) {
        const read = (await (await fetch(url(customerId))).json()) as Record<string, unknown>;
        expect(read.source).toBe('cache');
      }
      expect(await env.simulator.requests()).toEqual([]);
    });

    it('refuses a sixth submission in flight for one customer with 429, sending nothing', async () => {
      // A gateway of its own: five lost answers would open the shared one's circuit breaker.
      const own = await startTestGateway({
        settings: { PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: '100' },
      });
      try {
        const customerId = await own.simulator.createCustomer();
        await own.simulator.fault({
          method: 'POST',
          path: `/v1/customers/${customerId}/qualifications`,
          status: 0,
          phase: 'after',
          times: 100,
        });
        const submit = (headers: Record<string, string> = {}) =>
          fetch(`${own.api}/customers/${customerId}/qualifications`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
          });
        // Five submissions whose answers never come stay open (their outcome is unknown)…
        const lost = await Promise.all(
          Array.from({ length: 5 }, (_, i) => submit({ 'idempotency-key': `k${String(i)}` })),
        );
        expect(lost.map((response) => response.status)).toEqual([504, 504, 504, 504, 504]);
        await own.simulator.clearRequests();
        // …and the sixth is refused before Partner Center.
        const sixth = await submit();
        expect(sixth.status).toBe(429);
        expect(sixth.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await own.simulator.requests()).filter((r) => r.method === 'POST')).toEqual([]);
      } finally {
        await own.close();
      }
    });
  });

  describe('a refusal after a lost answer', () => {
    it("is checked against Partner Center's list: the first attempt was applied, so 201, not a final 409", async () => {
      const customerId = await env.simulator.createCustomer();
      await fetch(url(customerId)); // cached as [] for an hour
      await env.simulator.fault({
        method: 'POST',
        path: `/v1/customers/${customerId}/qualifications`,
        reset: true,
        phase: 'after',
      });
      await env.simulator.fault({
        method: 'POST',
        path: `/v1/customers/${customerId}/qualifications`,
        status: 409,
        body: { code: 409, description: 'A request with this MS-RequestId is in progress' },
      });
      const first = await post(
        customerId,
        { qualification: 'Education', educationSegment: 'K12' },
        { 'idempotency-key': 'audit-m9' },
      );
      expect(first.response.status).toBe(201);
      expect(first.body).toMatchObject({ qualification: 'Education', vettingStatus: 'InReview' });
      const cached = (await (await fetch(url(customerId))).json()) as Record<string, unknown>;
      expect(cached).toMatchObject({
        qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      });
      const repeat = await post(
        customerId,
        { qualification: 'Education', educationSegment: 'K12' },
        { 'idempotency-key': 'audit-m9' },
      );
      expect(repeat.response.status).toBe(201);
    });

    it("stands when the list does not show it: the 409 is Partner Center's real answer", async () => {
      const customerId = await env.simulator.createCustomer([
        { qualification: 'Education', vettingStatus: 'Approved' },
      ]);
      await fetch(url(customerId));
      await env.simulator.fault({
        method: 'POST',
        path: `/v1/customers/${customerId}/qualifications`,
        status: 0,
        times: 1,
      });
      const refused = await post(customerId, {
        qualification: 'Education',
        educationSegment: 'K12',
      });
      expect(refused.response.status).toBe(409);
      const record = await env.gateway.services.ledger.store.get(customerId as never);
      expect(record?.value.openSubmissions).toEqual([]);
    });
  });
});
