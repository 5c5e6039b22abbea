import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityFixture, type IdentityFixture } from '../identity/fixture.js';
import { deployedSettings } from '../support/deployed-settings.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Build 1 (H1): a gateway set up for the Secure Application Model whose App+User token cannot be
 * had — the consent refused, then the token endpoint down — keeps serving reads, validation
 * codes, the timer and /health. The real @azure/identity client-secret credential (app-only) and
 * the MSAL refresh token credential (App+User) talk to the local https token endpoint.
 */
let entra: EntraIdFixture;
let identity: IdentityFixture;
let env: TestGateway;
let token: string;

beforeAll(async () => {
  entra = await startEntraIdFixture();
  identity = await startIdentityFixture();
  env = await startTestGateway({
    settings: {
      ...deployedSettings(entra, identity),
      PARTNER_CENTER_USER_CREDENTIAL: 'secure-application-model',
      PARTNER_CENTER_REFRESH_TOKEN: identity.endpoint.issueRefreshToken(identity.client.clientId),
      PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: '5',
    },
  });
  token = await entra.mintToken({
    claims: { roles: ['Qualifications.Read', 'Qualifications.Write'] },
  });
  env.secrets.add(token);
});
afterAll(async () => {
  await env.close();
  await identity.endpoint.close();
  await entra.close();
});

const url = (path: string) => `${env.api}${path}`;
const get = (path: string) => fetch(url(path), { headers: { authorization: `Bearer ${token}` } });
const submit = (customerId: string) =>
  fetch(url(`/customers/${customerId}/qualifications`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
  });
const health = async () => {
  const response = await fetch(url('/health'));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('an App+User identity that cannot get tokens', () => {
  it('warms up: reads and the app-only token work', async () => {
    const [customerId] = await env.simulator.createCustomers([], 1);
    expect((await get(`/customers/${customerId ?? ''}/qualifications`)).status).toBe(200);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('a consent Entra ID refuses: 502 credential-unavailable, logged once with the action', async () => {
    identity.endpoint.revokeRefreshTokens();
    const customerId = await env.simulator.createCustomer();
    for (let i = 0; i < 3; i++) {
      const response = await submit(customerId);
      expect(response.status).toBe(502);
      expect(response.headers.get('retry-after')).toBeNull();
      const body = (await response.json()) as { type: string; detail: string };
      expect(body.type).toMatch(/#credential-unavailable$/);
      expect(body.detail).toContain('App+User');
    }
    const lines = env.logs.filter((l) => l.includes('credential failing (refused)'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Re-run consent/);
    expect(await health()).toMatchObject({
      status: 200,
      body: { status: 'degraded', checks: { appUserCredential: 'fail', partnerCenter: 'ok' } },
    });
  });

  it('eight POSTs with the token endpoint down fail cleanly; reads, codes, the timer and health go on', async () => {
    const pending = await env.simulator.createCustomer([
      { qualification: 'Education', vettingStatus: 'InReview' },
    ]);
    expect((await get(`/customers/${pending}/qualifications`)).status).toBe(200);
    await identity.endpoint.close();

    const customerId = await env.simulator.createCustomer();
    await env.simulator.clearRequests();
    for (let i = 0; i < 8; i++) {
      const response = await submit(customerId);
      expect([502, 503]).toContain(response.status);
      const body = (await response.json()) as { type: string };
      expect(body.type).toMatch(/#credential-unavailable$/);
      if (response.status === 503) expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // Partner Center was never called for them: no token, no call.
    expect(await env.simulator.requests()).toEqual([]);
    expect(env.logs.filter((l) => l.includes('credential failing (unreachable)'))).toHaveLength(1);

    const [fresh] = await env.simulator.createCustomers(
      [{ qualification: 'Education', vettingStatus: 'Approved' }],
      1,
    );
    const read = await get(`/customers/${fresh ?? ''}/qualifications`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ source: 'partner-center', stale: false });
    expect((await get('/validation-codes')).status).toBe(200);
    expect(await health()).toMatchObject({
      status: 200,
      body: {
        status: 'degraded',
        checks: {
          storage: 'ok',
          partnerCenter: 'ok',
          appOnlyCredential: 'ok',
          appUserCredential: 'fail',
        },
      },
    });

    await env.simulator.decide(pending, 'Education', 'Approved');
    const report = await env.refresh();
    expect(report).toMatchObject({ failed: 0 });
    expect(report.changed).toBeGreaterThanOrEqual(1);
    const after = await get(`/customers/${pending}/qualifications?refresh=true`);
    expect(await after.json()).toMatchObject({
      qualifications: [{ qualification: 'Education', vettingStatus: 'Approved' }],
    });
  });
});
