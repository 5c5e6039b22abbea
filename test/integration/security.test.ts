import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { startIdentityFixture, type IdentityFixture } from '../identity/fixture.js';
import { deployedSettings } from '../support/deployed-settings.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The gateway as deployed: inbound Entra ID tokens required, the real @azure/identity and MSAL
 * credential classes towards a local (https) Entra ID for app-only and App+User calls.
 */
let entra: EntraIdFixture;
let identity: IdentityFixture;
let env: TestGateway;
let refreshToken: string;

beforeAll(async () => {
  entra = await startEntraIdFixture();
  identity = await startIdentityFixture();
  refreshToken = identity.endpoint.issueRefreshToken(identity.client.clientId);
  env = await startTestGateway({
    settings: {
      ...deployedSettings(entra, identity),
      PARTNER_CENTER_USER_CREDENTIAL: 'secure-application-model',
      PARTNER_CENTER_REFRESH_TOKEN: refreshToken,
    },
  });
});

afterAll(async () => {
  await env.close();
  await identity.endpoint.close();
  await entra.close();
});
beforeEach(async () => {
  await env.simulator.clearRequests();
});

/** Every token a test sends is a secret the gateway must never log (checked on close). */
const track = (token: string): string => {
  env.secrets.add(token);
  return token;
};
const readToken = () => entra.mintToken({ claims: { roles: ['Qualifications.Read'] } }).then(track);
const writeToken = () =>
  entra.mintToken({ claims: { roles: ['Qualifications.Write'] } }).then(track);
const qualificationsUrl = (id: string) => `${env.api}/customers/${id}/qualifications`;

describe('inbound authorization', () => {
  it('lets a Read caller read, through the real app-only credential', async () => {
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: { authorization: `Bearer ${await readToken()}` },
    });
    expect(response.status).toBe(200);
    const [call] = await env.simulator.requests();
    expect(call?.headers.authorization).toBe('app-only');
    expect(identity.endpoint.tokenRequests('client_credentials').length).toBeGreaterThan(0);
  });

  it.each([
    ['no token', () => Promise.resolve(undefined)],
    ['an expired token', () => entra.mintExpired()],
    ['a token for another audience', () => entra.mintWrongAudience()],
    ['a token from another issuer', () => entra.mintWrongIssuer()],
    ['a token from another tenant', () => entra.mintWrongTenant()],
    ['alg: none', () => Promise.resolve(entra.mintUnsignedToken())],
    ['HS256 signed with the public key', () => entra.mintHs256WithPublicKey('pem')],
    ['an unknown kid', () => entra.mintWithUnknownKey()],
    ['garbage', () => Promise.resolve('not.a.token')],
    [
      "an ID token of the gateway's own registration",
      () =>
        entra.mintToken({
          claims: { sub: 'pairwise', azp: undefined, nonce: 'n', roles: ['Qualifications.Read'] },
        }),
    ],
    ['a token with neither roles nor scp', () => entra.mintToken({ claims: { roles: undefined } })],
  ])('refuses %s with 401 and WWW-Authenticate, calling nothing', async (_name, mint) => {
    const token = await mint();
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('ignores a forged x-ms-client-principal header', async () => {
    const forged = Buffer.from(
      JSON.stringify({
        auth_typ: 'aad',
        claims: [
          { typ: 'roles', val: 'Qualifications.Read' },
          { typ: 'roles', val: 'Qualifications.Write' },
        ],
      }),
    ).toString('base64');
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: { 'x-ms-client-principal': forged },
    });
    expect(response.status).toBe(401);
  });

  it('refuses a Read-only caller a POST with 403, before any upstream or table I/O', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.clearRequests();
    const response = await fetch(qualificationsUrl(customerId), {
      method: 'POST',
      headers: { authorization: `Bearer ${await readToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
    });
    expect(response.status).toBe(403);
    expect(await env.simulator.requests()).toHaveLength(0);
    expect(await env.gateway.services.ledger.store.get(customerId as never)).toBeUndefined();
  });

  it('refuses a Write-only caller a GET with 403 (roles are independent)', async () => {
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: { authorization: `Bearer ${await writeToken()}` },
    });
    expect(response.status).toBe(403);
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('keeps /health and /openapi.json anonymous', async () => {
    expect((await fetch(`${env.api}/health`)).status).toBe(200);
    expect((await fetch(`${env.api}/openapi.json`)).status).toBe(200);
  });

  it('submits as App+User through the Secure Application Model, rolling the refresh token', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.clearRequests();
    const post = () =>
      writeToken().then((token) =>
        fetch(qualificationsUrl(customerId), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
        }),
      );
    const response = await post();
    expect(response.status).toBe(201);
    const [sent] = (await env.simulator.requests()).filter((r) => r.method === 'POST');
    expect(sent?.headers.authorization).toBe('app+user');
    const redemptions = identity.endpoint.tokenRequests('refresh_token');
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]?.status).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  it("is each caller's own: the same key from another app is a new request, not a replay or a 422", async () => {
    const customerId = await env.simulator.createCustomer();
    const post = async (azp: string, body: object) =>
      fetch(qualificationsUrl(customerId), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await entra
            .mintToken({ claims: { roles: ['Qualifications.Write'], azp } })
            .then(track)}`,
          'content-type': 'application/json',
          'idempotency-key': 'order-42',
        },
        body: JSON.stringify(body),
      });
    const first = await post('00000000-0000-0000-0000-00000000a001', {
      qualification: 'StateOwnedEntity',
    });
    expect(first.status).toBe(201);
    const again = await post('00000000-0000-0000-0000-00000000a001', {
      qualification: 'StateOwnedEntity',
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    // Another app with the same key and another body: its own request (Partner Center's answer),
    // not the first app's stored answer nor a 422 that would tell it the key was used.
    const other = await post('00000000-0000-0000-0000-00000000a002', {
      qualification: 'Education',
      educationSegment: 'K12',
    });
    expect(other.status).not.toBe(422);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    const posts = (await env.simulator.requests()).filter((r) => r.method === 'POST');
    expect(posts.filter((r) => r.path.includes(customerId))).toHaveLength(2);
  });
});

describe('App+User On-Behalf-Of', () => {
  it("exchanges the caller's token for a Partner Center user token with the real OnBehalfOfCredential", async () => {
    const obo = await startTestGateway({
      settings: {
        ...deployedSettings(entra, identity),
        PARTNER_CENTER_USER_CREDENTIAL: 'on-behalf-of',
      },
    });
    try {
      const callerToken = await entra.mintToken({ claims: { roles: ['Qualifications.Write'] } });
      obo.secrets.add(callerToken);
      identity.endpoint.trustUserAssertion(callerToken, identity.client.clientId);
      const customerId = await obo.simulator.createCustomer();
      const response = await fetch(`${obo.api}/customers/${customerId}/qualifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${callerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
      });
      expect(response.status).toBe(201);
      const [sent] = (await obo.simulator.requests()).filter((r) => r.method === 'POST');
      expect(sent?.headers.authorization).toBe('app+user');
      expect(
        identity.endpoint.tokenRequests('urn:ietf:params:oauth:grant-type:jwt-bearer'),
      ).toEqual([expect.objectContaining({ status: 200, clientId: identity.client.clientId })]);
    } finally {
      await obo.close();
    }
  });
});

describe('outbound to Partner Center', () => {
  let redirector: Server;
  let trap: Server;
  let trapped = 0;

  beforeAll(async () => {
    trap = createServer((_request, response) => {
      trapped++;
      response.end('[]');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    redirector = createServer((request, response) => {
      response.writeHead(307, { location: `${trapUrl}${request.url ?? '/'}` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    redirector.closeAllConnections();
    trap.closeAllConnections();
    await new Promise((resolve) => redirector.close(resolve));
    await new Promise((resolve) => trap.close(resolve));
  });

  it('never follows a redirect: Authorization does not leave the configured host', async () => {
    const redirected = await startTestGateway({
      settings: {
        PARTNER_CENTER_BASE_URL: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`,
      },
    });
    try {
      const response = await fetch(`${redirected.api}/customers/${randomUUID()}/qualifications`);
      expect(response.status).toBe(502);
      expect(trapped).toBe(0);
    } finally {
      await redirected.close();
    }
  });
});

describe('secrets', () => {
  it('never appear in logs or responses', async () => {
    const functionKey = `fk-${randomUUID()}`;
    const token = await readToken();
    const responses: string[] = [];
    const record = async (response: Response) => {
      responses.push(JSON.stringify([...response.headers]) + (await response.text()));
    };
    await record(
      await fetch(`${qualificationsUrl(SEEDED_CUSTOMERS.stateOwnedEntity)}?code=${functionKey}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    await record(
      await fetch(`${qualificationsUrl('bad')}?code=${functionKey}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    await record(
      await fetch(qualificationsUrl(SEEDED_CUSTOMERS.stateOwnedEntity), {
        headers: { authorization: `Bearer ${token}x` },
      }),
    );
    await env.simulator.fault({ status: 401, times: 2 });
    await record(
      await fetch(`${qualificationsUrl(await env.simulator.createCustomer())}?refresh=true`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const secrets = [
      identity.client.clientSecret,
      refreshToken,
      token,
      functionKey,
      'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    ];
    expect(env.logs.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const line of [...env.logs, ...responses]) expect(line).not.toContain(secret);
    }
  });
});
