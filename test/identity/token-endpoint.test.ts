import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT } from '../support/token-endpoint.js';
import {
  claimsOf,
  type IdentityFixture,
  PARTNER_CENTER_SCOPE,
  startIdentityFixture,
} from './fixture.js';

// The fixture's own contract: the credential tests are only as strict as it is.
describe('local token endpoint', () => {
  let fixture: IdentityFixture;
  beforeAll(async () => {
    fixture = await startIdentityFixture();
  });
  afterAll(() => fixture.endpoint.close());

  const post = async (
    form: Record<string, string>,
    url = fixture.endpoint.tokenUrl,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: fixture.client.clientId,
        client_secret: fixture.client.clientSecret,
        scope: PARTNER_CENTER_SCOPE,
        ...form,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('issues app-only tokens for client_credentials and answers in the Entra shape', async () => {
    const { status, body } = await post({ grant_type: GRANT.clientCredentials });

    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body).not.toHaveProperty('refresh_token');
    expect(claimsOf(String(body.access_token))).toMatchObject({ idtyp: 'app' });
  });

  it('rotates refresh tokens: a redeemed one is invalid_grant', async () => {
    const first = fixture.endpoint.issueRefreshToken(fixture.client.clientId);

    const redeemed = await post({ grant_type: GRANT.refreshToken, refresh_token: first });
    const reused = await post({ grant_type: GRANT.refreshToken, refresh_token: first });
    const rolled = await post({
      grant_type: GRANT.refreshToken,
      refresh_token: String(redeemed.body.refresh_token),
    });

    expect(redeemed.status).toBe(200);
    expect(redeemed.body.refresh_token).not.toBe(first);
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rolled.status).toBe(200);
  });

  it.each([
    [{ grant_type: GRANT.clientCredentials, client_secret: 'wrong' }, 401, 'invalid_client'],
    [
      { grant_type: GRANT.clientCredentials, scope: 'https://x/user_impersonation' },
      400,
      'invalid_scope',
    ],
    [{ grant_type: GRANT.onBehalfOf, assertion: 'x.y.z' }, 400, 'invalid_request'],
    [{ grant_type: GRANT.onBehalfOf, requested_token_use: 'on_behalf_of' }, 400, 'invalid_request'],
    [{ grant_type: 'password' }, 400, 'unsupported_grant_type'],
  ])('refuses %o with %i %s', async (form, status, error) => {
    expect(await post(form)).toMatchObject({ status, body: { error } });
  });

  it('refuses another tenant', async () => {
    const url = fixture.endpoint.tokenUrl.replace(fixture.endpoint.tenantId, 'other-tenant');
    expect(await post({ grant_type: GRANT.clientCredentials }, url)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });

  it('serves OpenID metadata whose issuer and token endpoint are its own', async () => {
    const { authorityHost, tenantId, tokenUrl } = fixture.endpoint;
    const response = await fetch(
      `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
    );

    expect(await response.json()).toMatchObject({
      token_endpoint: tokenUrl,
      issuer: `${authorityHost}/${tenantId}/v2.0`,
    });
  });

  it('records requests without secrets or tokens', async () => {
    const refreshToken = fixture.endpoint.issueRefreshToken(fixture.client.clientId);
    await post({ grant_type: GRANT.refreshToken, refresh_token: refreshToken });

    const recorded = JSON.stringify(fixture.endpoint.requests);

    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken).length).toBeGreaterThan(0);

    expect(recorded).not.toContain(fixture.client.clientSecret);
    expect(recorded).not.toMatch(/0\.A[\w-]{20,}/);
  });
});
