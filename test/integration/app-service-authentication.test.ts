import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { useTestGateway } from '../support/test-gateway.js';

/**
 * AUTH_IDENTITY_SOURCE=app-service-authentication: App Service Authentication has validated the
 * caller's token in front of the app and passes the caller on in `x-ms-client-principal`.
 */
const env = useTestGateway({
  settings: {
    AUTH_IDENTITY_SOURCE: 'app-service-authentication',
    // What App Service sets while App Service Authentication is on: required for this mode.
    WEBSITE_AUTH_ENABLED: 'True',
    AUTH_ALLOWED_CLIENT_IDS: '00000000-0000-0000-0000-0000000000bb',
  },
});

function principal(...roles: string[]): string {
  return principalOf('00000000-0000-0000-0000-0000000000bb', roles);
}

function principalOf(clientId: string, roles: readonly string[]): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'caller-oid' },
        { typ: 'azp', val: clientId },
        ...roles.map((role) => ({ typ: 'roles', val: role })),
      ],
    }),
  ).toString('base64');
}

const qualificationsUrl = (customerId: string) =>
  `${env.api}/customers/${customerId}/qualifications`;

describe('App Service Authentication as the source of identity', () => {
  it('serves a caller whose principal has the Read role', async () => {
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: { 'x-ms-client-principal': principal('Qualifications.Read') },
    });
    expect(response.status).toBe(200);
  });

  it('refuses a client application that is not in AUTH_ALLOWED_CLIENT_IDS with 403', async () => {
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: {
        'x-ms-client-principal': principalOf('00000000-0000-0000-0000-0000000000cc', [
          'Qualifications.Read',
        ]),
      },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toContain('application');
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('answers 401 without a principal, a bearer token notwithstanding', async () => {
    const response = await fetch(qualificationsUrl(SEEDED_CUSTOMERS.educationApproved), {
      headers: { authorization: 'Bearer not-looked-at' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('refuses a Read-only principal a POST with 403 and no upstream call', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.clearRequests();
    const response = await fetch(qualificationsUrl(customerId), {
      method: 'POST',
      headers: {
        'x-ms-client-principal': principal('Qualifications.Read'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
    });
    expect(response.status).toBe(403);
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('lets anyone read health, with no principal', async () => {
    expect((await fetch(`${env.api}/health`)).status).toBe(200);
  });
});
