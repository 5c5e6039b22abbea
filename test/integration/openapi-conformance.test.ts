import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SEEDED_CUSTOMERS,
  SEEDED_VALIDATION_CODES,
} from '../../dev/partner-center-simulator/index.js';
import {
  createResponseValidator,
  type OpenApiDocument,
} from '../support/openapi-response-validator.js';
import { startValidatingProxy } from '../support/validating-proxy.js';
import { useTestGateway } from '../support/test-gateway.js';

const env = useTestGateway({ settings: { PARTNER_CENTER_MAX_RETRIES: '0' } });

/**
 * A line-of-business app's whole run of calls through a proxy built from the document the
 * gateway serves (GET /openapi.json), not the one in the sources: what a client generated from
 * that document meets. Every answer must be documented, and the run must reach every case.
 */
describe('a validating proxy in front of the gateway', () => {
  it('finds no response that deviates from the served document over a full run of calls', async () => {
    const served = (await (await fetch(`${env.api}/openapi.json`)).json()) as OpenApiDocument;
    const proxy = await startValidatingProxy(env.gateway.url, createResponseValidator(served));
    try {
      const api = `${proxy.url}/api/v1`;
      const customer = await env.simulator.createCustomer();
      const qualifications = `${api}/customers/${customer}/qualifications`;
      const post = (body: unknown, key?: string) =>
        fetch(qualifications, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(key !== undefined && { 'idempotency-key': key }),
          },
          body: JSON.stringify(body),
        });
      const status = async (response: Promise<Response>) => {
        const answered = await response;
        await answered.arrayBuffer();
        return answered.status;
      };

      // Reads: from Partner Center, then the cache; 304 for the same ETag; 404; 400.
      const first = await fetch(qualifications);
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      const etag = first.headers.get('etag') ?? '';
      expect(await status(fetch(qualifications, { headers: { 'if-none-match': etag } }))).toBe(304);
      expect(await status(fetch(`${api}/customers/${randomUUID()}/qualifications`))).toBe(404);
      expect(await status(fetch(`${api}/customers/not-a-guid/qualifications`))).toBe(400);
      expect(await status(fetch(`${qualifications}?refresh=maybe`))).toBe(400);

      // Submissions: 201, its replay, the key reused (422), a resubmission (409), bad bodies.
      const key = randomUUID();
      const education = { qualification: 'Education', educationSegment: 'K12' };
      expect(await status(post(education, key))).toBe(201);
      const replay = await post(education, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      await replay.arrayBuffer();
      expect(await status(post({ qualification: 'StateOwnedEntity' }, key))).toBe(422);
      expect(await status(post(education, randomUUID()))).toBe(409);
      expect(await status(post({ qualification: 'Nonprofit' }))).toBe(400);
      expect(
        await status(
          fetch(qualifications, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: 'x',
          }),
        ),
      ).toBe(415);
      expect(
        await status(
          fetch(qualifications, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ qualification: 'StateOwnedEntity', pad: 'x'.repeat(70_000) }),
          }),
        ),
      ).toBe(413);
      const gcc = SEEDED_VALIDATION_CODES[0]?.validationId ?? '';
      const other = await env.simulator.createCustomer();
      expect(
        await status(
          fetch(`${api}/customers/${other}/qualifications`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              qualification: 'GovernmentCommunityCloud',
              validationCode: gcc,
            }),
          }),
        ),
      ).toBe(201);

      // The views: history, the pending list (and a bad token), the summary, validation codes.
      expect(await status(fetch(`${qualifications}/history`))).toBe(200);
      expect(await status(fetch(`${api}/qualifications?vettingStatus=InReview&pageSize=1`))).toBe(
        200,
      );
      expect(
        await status(fetch(`${api}/qualifications?vettingStatus=InReview&continuationToken=x`)),
      ).toBe(400);
      expect(await status(fetch(`${api}/qualifications`))).toBe(400);
      expect(await status(fetch(`${api}/qualifications/summary?days=30`))).toBe(200);
      expect(await status(fetch(`${api}/validation-codes`))).toBe(200);
      expect(await status(fetch(`${api}/health`))).toBe(200);

      // Partner Center failing: a cached copy is served stale; without one, 502 or 503.
      const upstream = (id: string) => `/v1/customers/${id}/qualifications`;
      await env.simulator.fault({ path: upstream(customer), status: 503 });
      const stale = await fetch(`${qualifications}?refresh=true`);
      expect(((await stale.json()) as { stale: boolean }).stale).toBe(true);
      const uncached = await env.simulator.createCustomer();
      await env.simulator.fault({ path: upstream(uncached), status: 503 });
      expect(await status(fetch(`${api}/customers/${uncached}/qualifications`))).toBe(502);
      await env.simulator.clearFaults();
      await env.simulator.fault({ path: upstream(uncached), status: 429, retryAfterSeconds: 60 });
      expect(await status(fetch(`${api}/customers/${uncached}/qualifications`))).toBe(503);
      // A customer Partner Center refuses the partner (403, code 20002).
      expect(
        await status(
          fetch(`${api}/customers/${SEEDED_CUSTOMERS.noCommerceRelationship}/qualifications`),
        ),
      ).toBe(403);

      expect(proxy.record.takeDeviations()).toEqual([]);
      const seen = new Set(
        proxy.record.checked.map((c) => `${c.operationId ?? ''} ${String(c.status)}`),
      );
      expect([...seen].sort()).toEqual(
        expect.arrayContaining([
          'create-qualification 201',
          'create-qualification 400',
          'create-qualification 409',
          'create-qualification 413',
          'create-qualification 415',
          'create-qualification 422',
          'get-customer-qualifications 200',
          'get-customer-qualifications 304',
          'get-customer-qualifications 400',
          'get-customer-qualifications 403',
          'get-customer-qualifications 404',
          'get-customer-qualifications 502',
          'get-customer-qualifications 503',
          'get-qualification-history 200',
          'get-vetting-summary 200',
          'health 200',
          'list-qualifications 200',
          'list-qualifications 400',
          'list-validation-codes 200',
        ]),
      );
    } finally {
      await proxy.close();
    }
  });
});
