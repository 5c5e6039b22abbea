import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityFixture, type IdentityFixture } from '../identity/fixture.js';
import { deployedSettings } from '../support/deployed-settings.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Build 1 and 2 under On-Behalf-Of: the App+User identity is the caller's own user, so what is
 * refused about that user (no MFA, a token Entra ID will not exchange, a missing Partner Center
 * role) is that caller's 4xx, opens no breaker and leaves /health alone. Real OnBehalfOfCredential
 * against the local https token endpoint.
 */
let entra: EntraIdFixture;
let identity: IdentityFixture;
let env: TestGateway;

beforeAll(async () => {
  entra = await startEntraIdFixture();
  identity = await startIdentityFixture();
  env = await startTestGateway({
    settings: {
      ...deployedSettings(entra, identity),
      PARTNER_CENTER_USER_CREDENTIAL: 'on-behalf-of',
      PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: '3',
    },
  });
});
afterAll(async () => {
  await env.close();
  await identity.endpoint.close();
  await entra.close();
});

interface ProblemBody {
  type: string;
  detail: string;
  upstream?: { status: number; code?: number | string };
}

/** A caller's token; `amr` is what its user signed in with, as the exchange will carry it. */
async function caller(amr: readonly string[] | 'not-exchangeable'): Promise<string> {
  // A token of its own (jti): two minted in the same second would otherwise be the same.
  const token = await entra.mintToken({
    claims: { roles: ['Qualifications.Read', 'Qualifications.Write'], jti: randomUUID() },
  });
  env.secrets.add(token);
  if (amr !== 'not-exchangeable') {
    identity.endpoint.trustUserAssertion(token, identity.client.clientId, { amr });
  }
  return token;
}

async function submit(token: string, customerId: string) {
  const response = await fetch(`${env.api}/customers/${customerId}/qualifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
  });
  return { response, body: (await response.json()) as ProblemBody };
}

async function expectHealthy(): Promise<void> {
  const health = await fetch(`${env.api}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({
    status: 'ok',
    checks: { partnerCenter: 'ok', appUserCredential: 'ok' },
  });
}

describe('On-Behalf-Of refusals are the caller’s answer', () => {
  it('a user without MFA: 401 mfa-required with Partner Center’s 900421 and a step-up challenge', async () => {
    const token = await caller(['pwd']);
    const customerId = await env.simulator.createCustomer();
    for (let i = 0; i < 4; i++) {
      const { response, body } = await submit(token, customerId);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/insufficient_user_authentication/);
      expect(body.type).toMatch(/#mfa-required$/);
      expect(body.upstream).toMatchObject({ status: 401, code: 900421 });
    }
    expect(env.logs.some((l) => l.includes('"code":900421'))).toBe(true);
    expect(env.logs.some((l) => l.includes('configuration fault'))).toBe(false);
    await expectHealthy();
  });

  it('a token Entra ID will not exchange: 403 on-behalf-of-refused, the identity stays healthy', async () => {
    const token = await caller('not-exchangeable');
    const customerId = await env.simulator.createCustomer();
    await env.simulator.clearRequests();
    for (let i = 0; i < 6; i++) {
      const { response, body } = await submit(token, customerId);
      expect(response.status, JSON.stringify(body)).toBe(403);
      expect(body.type).toMatch(/#on-behalf-of-refused$/);
    }
    expect(await env.simulator.requests()).toEqual([]);
    await expectHealthy();
    // No breaker opened: the next caller with MFA submits at once.
    const { response } = await submit(await caller(['pwd', 'mfa']), customerId);
    expect(response.status).toBe(201);
  });

  it("a user Partner Center refuses the operation: 403 with Partner Center's words", async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      method: 'POST',
      status: 403,
      body: {
        code: 403,
        description:
          'The supplied role does not have the rights to perform the requested operation.',
      },
    });
    const { response, body } = await submit(await caller(['pwd', 'mfa']), customerId);
    expect(response.status).toBe(403);
    expect(body.detail).toMatch(/does not have the rights/);
    await expectHealthy();
  });
});
