import { randomUUID } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_VALIDATION_CODES } from '../../dev/partner-center-simulator/index.js';
import {
  createGatewayClient,
  isProblemDetails,
  type CreateQualificationRequest,
  type GatewayClient,
} from '../../clients/typescript/gateway-client.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';
import { startTestGateway, useTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The generated TypeScript client (clients/typescript) as a line-of-business app uses it, against
 * the real gateway over HTTP (local host, Azurite, the Partner Center simulator).
 */
const env = useTestGateway();

/** Every request the client sent, as it left the client (after its middleware). */
function recordingClient(options: { auth?: { credential: TokenCredential; scope: string } } = {}) {
  const sent: Request[] = [];
  const client = createGatewayClient({
    baseUrl: env.api,
    ...options,
    fetch: (request) => {
      sent.push(request.clone());
      return fetch(request);
    },
  });
  return { client, sent };
}

async function findPending(client: GatewayClient, customerId: string) {
  let continuationToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { data, error } = await client.GET('/qualifications', {
      params: {
        query: {
          vettingStatus: 'InReview',
          pageSize: 200,
          ...(continuationToken && { continuationToken }),
        },
      },
    });
    if (data === undefined) throw new Error(`listing failed: ${JSON.stringify(error)}`);
    const item = data.items.find((i) => i.customerId === customerId);
    if (item !== undefined || data.continuationToken === null) return item;
    continuationToken = data.continuationToken;
  }
  throw new Error('more than 50 pages of pending qualifications');
}

describe('the TypeScript client', () => {
  it('runs the scenario: read, submit Education with a key, replay, resubmit (409), history, pending, validation codes', async () => {
    const { client, sent } = recordingClient();
    const customerId = await env.simulator.createCustomer();
    const path = { customerId };

    const first = await client.GET('/customers/{customerId}/qualifications', { params: { path } });
    expect(first.response.status).toBe(200);
    expect(first.data).toMatchObject({
      customerId,
      qualifications: [],
      source: 'partner-center',
      stale: false,
    });

    const body: CreateQualificationRequest = {
      qualification: 'Education',
      educationSegment: 'HigherEducation',
      website: 'https://university.example',
    };
    const key = `order-${randomUUID()}`;
    const submitted = await client.POST('/customers/{customerId}/qualifications', {
      params: { path, header: { 'idempotency-key': key } },
      body,
    });
    expect(submitted.response.status).toBe(201);
    expect(submitted.error).toBeUndefined();
    expect(submitted.data).toMatchObject({ qualification: 'Education', vettingStatus: 'InReview' });
    expect(submitted.response.headers.get('location')).toBe(
      `/api/v1/customers/${customerId}/qualifications`,
    );
    expect(submitted.response.headers.get('idempotent-replayed')).toBeNull();

    const replayed = await client.POST('/customers/{customerId}/qualifications', {
      params: { path, header: { 'idempotency-key': key } },
      body,
    });
    expect(replayed.response.status).toBe(201);
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.data).toEqual(submitted.data);
    const upstreamPosts = (await env.simulator.requests()).filter((r) => r.method === 'POST');
    expect(upstreamPosts).toHaveLength(1);

    // No key of its own: the client sends a fresh one, so this is a new submission, which
    // Partner Center refuses while the first is in review.
    const resubmitted = await client.POST('/customers/{customerId}/qualifications', {
      params: { path },
      body,
    });
    expect(resubmitted.response.status).toBe(409);
    expect(resubmitted.data).toBeUndefined();
    expect(resubmitted.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(isProblemDetails(resubmitted.error)).toBe(true);
    expect(resubmitted.error).toMatchObject({ status: 409, upstream: { status: 409 } });
    expect(resubmitted.error?.correlationId).toBe(
      resubmitted.response.headers.get('x-correlation-id'),
    );
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.headers.get('idempotency-key'))).toEqual([
      key,
      key,
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);

    const cached = await client.GET('/customers/{customerId}/qualifications', { params: { path } });
    expect(cached.data).toMatchObject({
      source: 'cache',
      qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
    });

    const history = await client.GET('/customers/{customerId}/qualifications/history', {
      params: { path },
    });
    expect(history.response.status).toBe(200);
    expect(history.data?.events).toEqual([
      expect.objectContaining({
        qualification: 'Education',
        from: null,
        to: 'InReview',
        trigger: 'submit',
      }),
    ]);

    expect(await findPending(client, customerId)).toMatchObject({
      customerId,
      qualification: 'Education',
      vettingStatus: 'InReview',
    });

    const codes = await client.GET('/validation-codes');
    expect(codes.response.status).toBe(200);
    expect(codes.data?.validationCodes.map((c) => c.validationId)).toEqual(
      SEEDED_VALIDATION_CODES.map((c) => c.validationId),
    );
  });

  it('submits GovernmentCommunityCloud with a validation code from the list', async () => {
    const { client } = recordingClient();
    const customerId = await env.simulator.createCustomer();
    const codes = await client.GET('/validation-codes');
    const validationCode = codes.data?.validationCodes[0]?.validationId;
    if (validationCode === undefined) throw new Error('no validation code listed');

    const submitted = await client.POST('/customers/{customerId}/qualifications', {
      params: { path: { customerId } },
      body: { qualification: 'GovernmentCommunityCloud', validationCode },
    });
    expect(submitted.response.status).toBe(201);
    expect(submitted.data).toMatchObject({ qualification: 'GovernmentCommunityCloud' });
  });

  it('answers a refused request with typed problem details and makes no upstream call', async () => {
    const { client } = recordingClient();
    const refused = await client.GET('/customers/{customerId}/qualifications', {
      params: { path: { customerId: 'not-a-guid' } },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: 'path.customerId' })],
    });
    expect(await env.simulator.requests()).toHaveLength(0);
  });
});

describe('the TypeScript client where the gateway requires Entra ID tokens', () => {
  let entra: EntraIdFixture;
  let secured: TestGateway;
  beforeAll(async () => {
    entra = await startEntraIdFixture();
    secured = await startTestGateway({
      settings: {
        AUTH_AUDIENCE: entra.audience,
        AUTH_TENANT_ID: entra.tenantId,
        AUTH_ISSUER: entra.issuer,
        AUTH_JWKS_URI: entra.jwksUri,
      },
    });
  });
  afterAll(async () => {
    await secured.close();
    await entra.close();
  });

  /** A TokenCredential issuing the local Entra ID's tokens, counting what it was asked for. */
  function entraCredential(roles: string[], lifetimeMs = 3_600_000) {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      async getToken(scope): Promise<AccessToken> {
        scopes.push(...[scope].flat());
        const token = await entra.mintToken({ claims: { roles } });
        secured.secrets.add(token);
        return { token, expiresOnTimestamp: Date.now() + lifetimeMs };
      },
    };
    return { credential, scopes };
  }

  it('sends a bearer token from the credential, asking it once while the token is fresh', async () => {
    const { credential, scopes } = entraCredential(['Qualifications.Read']);
    const scope = `${entra.audience}/.default`;
    const client = createGatewayClient({ baseUrl: secured.api, auth: { credential, scope } });

    for (let i = 0; i < 2; i++) {
      const codes = await client.GET('/validation-codes');
      expect(codes.response.status).toBe(200);
    }
    expect(scopes).toEqual([scope]);
  });

  it('asks the credential again for a token that expires within two minutes', async () => {
    const { credential, scopes } = entraCredential(['Qualifications.Read'], 60_000);
    const scope = `${entra.audience}/.default`;
    const client = createGatewayClient({ baseUrl: secured.api, auth: { credential, scope } });

    for (let i = 0; i < 2; i++) {
      const codes = await client.GET('/validation-codes');
      expect(codes.response.status).toBe(200);
    }
    expect(scopes).toEqual([scope, scope]);
  });

  it('without a credential gets 401, and without the role 403, as typed problem details', async () => {
    const anonymous = createGatewayClient({ baseUrl: secured.api });
    const unauthenticated = await anonymous.GET('/validation-codes');
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.error).toMatchObject({ status: 401 });

    const { credential } = entraCredential(['Qualifications.Read']);
    const reader = createGatewayClient({
      baseUrl: secured.api,
      auth: { credential, scope: `${entra.audience}/.default` },
    });
    const forbidden = await reader.POST('/customers/{customerId}/qualifications', {
      params: { path: { customerId: randomUUID() } },
      body: { qualification: 'StateOwnedEntity' },
    });
    expect(forbidden.response.status).toBe(403);
    expect(isProblemDetails(forbidden.error)).toBe(true);
  });
});
