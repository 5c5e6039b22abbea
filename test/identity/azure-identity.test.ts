import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnBehalfOfCredential } from '../../shared/identity/on-behalf-of.js';
import { createAppOnlyCredential } from '../../shared/identity/partner-center-credentials.js';
import { createClientCertificate, loadTestTls } from '../support/test-certificate.js';
import { GRANT, startTokenEndpoint } from '../support/token-endpoint.js';
import {
  claimsOf,
  everythingIn,
  type IdentityFixture,
  PARTNER_CENTER_SCOPE,
  startIdentityFixture,
  theApp,
} from './fixture.js';

// The real @azure/identity credentials (and the msal-node inside them) against the local
// https endpoint: the same code paths that run against Entra ID, only the authority differs.
describe('@azure/identity against the local token endpoint', () => {
  let fixture: IdentityFixture;
  beforeAll(async () => {
    fixture = await startIdentityFixture();
  });
  afterAll(() => fixture.endpoint.close());

  it('ClientSecretCredential gets an app-only Partner Center token', async () => {
    const { endpoint, client } = fixture;
    const credential = new ClientSecretCredential(
      endpoint.tenantId,
      client.clientId,
      client.clientSecret,
      { authorityHost: endpoint.authorityHost, disableInstanceDiscovery: true },
    );

    const token = await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(claimsOf(token.token)).toMatchObject({
      idtyp: 'app',
      appid: client.clientId,
      tid: endpoint.tenantId,
      aud: 'https://api.partnercenter.microsoft.com',
    });
    expect(endpoint.tokenRequests()).toContainEqual(
      expect.objectContaining({
        grantType: GRANT.clientCredentials,
        clientId: client.clientId,
        scope: PARTNER_CENTER_SCOPE,
        clientAuthentication: 'secret',
        status: 200,
      }),
    );
  });

  it('PARTNER_CENTER_CREDENTIAL=client-certificate signs a client assertion with the certificate file', async () => {
    const certificate = await createClientCertificate();
    const clientId = randomUUID();
    const endpoint = await startTokenEndpoint({
      tls: await loadTestTls(),
      clients: [{ clientId, certificatePem: certificate.certificatePem }],
    });
    // The file App Service or Key Vault would hold: the private key and the certificate, PEM.
    const certificatePath = join(tmpdir(), `pqg-app-${clientId}.pem`);
    await writeFile(certificatePath, `${certificate.privateKeyPem}\n${certificate.certificatePem}`);
    try {
      const credential = createAppOnlyCredential({
        credential: 'client-certificate',
        userCredential: 'none',
        tenantId: endpoint.tenantId,
        clientId,
        clientSecret: undefined,
        certificatePath,
        refreshToken: undefined,
        refreshTokenSecretUri: undefined,
        authorityHost: endpoint.authorityHost,
      });

      const token = await credential.getToken(PARTNER_CENTER_SCOPE);

      expect(claimsOf(token?.token ?? '')).toMatchObject({ idtyp: 'app', appid: clientId });
      expect(endpoint.tokenRequests()).toEqual([
        expect.objectContaining({
          grantType: GRANT.clientCredentials,
          clientAuthentication: 'assertion',
          status: 200,
        }),
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it('ClientSecretCredential with a wrong secret fails without echoing it', async () => {
    const { endpoint, client } = fixture;
    const wrongSecret = `wrong-${randomUUID()}`;
    const credential = new ClientSecretCredential(endpoint.tenantId, client.clientId, wrongSecret, {
      authorityHost: endpoint.authorityHost,
      disableInstanceDiscovery: true,
    });

    const error: unknown = await credential.getToken(PARTNER_CENTER_SCOPE).catch((e: unknown) => e);

    // @azure/identity reports it as AuthenticationRequiredError (a CredentialUnavailableError).
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('invalid_client');
    expect(everythingIn(error)).not.toContain(wrongSecret);
  });

  it('OnBehalfOfCredential exchanges the caller token for an App+User token', async () => {
    const { endpoint, client } = fixture;
    const userOid = randomUUID();
    const assertion = endpoint.issueUserAssertion(`api://${client.clientId}`, {
      oid: userOid,
      amr: ['pwd', 'mfa'],
    });
    const credential = createOnBehalfOfCredential(theApp(fixture), assertion);

    const token = await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(token?.token).not.toBe(assertion);
    expect(claimsOf(token?.token ?? '')).toMatchObject({
      idtyp: 'user',
      scp: 'user_impersonation',
      amr: ['pwd', 'mfa'],
      oid: userOid,
      appid: client.clientId,
    });
    expect(endpoint.tokenRequests(GRANT.onBehalfOf)).toContainEqual(
      expect.objectContaining({
        clientId: client.clientId,
        scope: expect.stringContaining(PARTNER_CENTER_SCOPE) as unknown,
        status: 200,
      }),
    );
  });

  it('OnBehalfOfCredential refuses an assertion issued for another app', async () => {
    const { endpoint } = fixture;
    const assertion = endpoint.issueUserAssertion(`api://${randomUUID()}`);
    const credential = createOnBehalfOfCredential(theApp(fixture), assertion);

    await expect(credential.getToken(PARTNER_CENTER_SCOPE)).rejects.toThrow(/invalid_grant/);
  });
});
