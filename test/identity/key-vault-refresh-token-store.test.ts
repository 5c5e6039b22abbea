import { randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKeyVaultRefreshTokenStore,
  KeyVaultRefreshTokenStore,
  REFRESH_TOKEN_LIFETIME_DAYS,
} from '../../shared/identity/key-vault-refresh-token-store.js';
import { secretIdentifierProblems } from '../../shared/identity/secret-identifier.js';
import { createRefreshTokenStore } from '../../shared/identity/partner-center-credentials.js';
import { RefreshTokenCredential } from '../../shared/identity/refresh-token-credential.js';
import { RefreshTokenCredentialError } from '../../shared/identity/refresh-token-credential-error.js';
import {
  InMemoryRefreshTokenStore,
  type RefreshTokenStore,
} from '../../shared/identity/refresh-token-store.js';
import {
  KEY_VAULT_RESOURCE,
  startKeyVaultEndpoint,
  type KeyVaultEndpoint,
} from '../support/key-vault-endpoint.js';
import { loadTestTls } from '../support/test-certificate.js';
import { GRANT } from '../support/token-endpoint.js';
import {
  claimsOf,
  everythingIn,
  type IdentityFixture,
  PARTNER_CENTER_SCOPE,
  RecordingLogger,
  refreshTokenRedemptions,
  startIdentityFixture,
  theApp,
} from './fixture.js';

const SECRET_NAME = 'partner-center-refresh-token';

/**
 * The vault's host is 127.0.0.1, which cannot end in `.vault.azure.net` as the SDK checks the
 * challenge's resource against; quick retries keep the outage tests short.
 */
const LOCAL_VAULT_OPTIONS: SecretClientOptions = {
  disableChallengeResourceVerification: true,
  retryOptions: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
};

describe('KeyVaultRefreshTokenStore (real SecretClient and ClientSecretCredential)', () => {
  let fixture: IdentityFixture;
  let vault: KeyVaultEndpoint;
  let logger: RecordingLogger;
  let clockMs: number;
  /** The gateway's own identity in Azure: an app registration of the local Entra ID. */
  let azureIdentity: { clientId: string; clientSecret: string };

  beforeEach(async () => {
    azureIdentity = { clientId: randomUUID(), clientSecret: `vault-reader-${randomUUID()}` };
    fixture = await startIdentityFixture([azureIdentity]);
    vault = await startKeyVaultEndpoint({
      tls: await loadTestTls(),
      authorityHost: fixture.endpoint.authorityHost,
      tenantId: fixture.endpoint.tenantId,
    });
    logger = new RecordingLogger();
    clockMs = Date.now();
  });

  afterEach(async () => {
    await vault.close();
    await fixture.endpoint.close();
  });

  const azureCredential = () =>
    new ClientSecretCredential(
      fixture.endpoint.tenantId,
      azureIdentity.clientId,
      azureIdentity.clientSecret,
      { authorityHost: fixture.endpoint.authorityHost, disableInstanceDiscovery: true },
    );

  const vaultStore = (): KeyVaultRefreshTokenStore =>
    createKeyVaultRefreshTokenStore(
      `${vault.url}/secrets/${SECRET_NAME}`,
      azureCredential(),
      LOCAL_VAULT_OPTIONS,
      { clock: { now: () => new Date(clockMs) } },
    );

  const credentialFor = (store: RefreshTokenStore): RefreshTokenCredential =>
    new RefreshTokenCredential({
      ...theApp(fixture),
      refreshTokenStore: store,
      logger,
      clock: { now: () => new Date(clockMs) },
    });

  /** What a partner admin's one-time consent produced, put in the vault by the operator. */
  const consent = (): string => {
    const token = fixture.endpoint.issueRefreshToken(fixture.client.clientId);
    vault.putSecret(SECRET_NAME, token);
    return token;
  };

  /** Past the cached access token's expiry, so that the next getToken redeems again. */
  const nextHour = (): void => {
    clockMs += 3_600_000;
  };

  it('reads the newest version, and writes a token as a new version that expires in 90 days', async () => {
    vault.putSecret(SECRET_NAME, 'first');
    vault.putSecret(SECRET_NAME, 'second');
    const store = vaultStore();

    expect(await store.load()).toBe('second');
    await store.save('third');

    expect(await store.load()).toBe('third');
    const newest = vault.versions(SECRET_NAME).at(-1);
    expect(newest).toMatchObject({
      value: 'third',
      contentType: 'application/vnd.partner-center.refresh-token',
      tags: { writtenBy: 'partner-qualifications-gateway' },
    });
    expect(newest?.exp).toBe(
      Math.floor((clockMs + REFRESH_TOKEN_LIFETIME_DAYS * 24 * 3_600_000) / 1000),
    );
    // The challenge was answered with a token of the gateway's own identity, for Key Vault.
    const vaultTokenRequests = fixture.endpoint.tokenRequests(GRANT.clientCredentials);
    expect(vaultTokenRequests.length).toBeGreaterThan(0);
    expect(vaultTokenRequests.every((r) => r.clientId === azureIdentity.clientId)).toBe(true);
    expect(vaultTokenRequests[0]?.scope).toBe(`${KEY_VAULT_RESOURCE}/.default`);
    expect(vault.requests.filter((r) => r.status === 200)).toHaveLength(3);
  });

  it('keeps the App+User token sliding across a restart and a second instance', async () => {
    const consented = consent();

    const first = credentialFor(vaultStore());
    const token = await first.getToken(PARTNER_CENTER_SCOPE);
    expect(claimsOf(token.token)).toMatchObject({ idtyp: 'user' });
    expect(vault.versions(SECRET_NAME)).toHaveLength(2);

    // The local token endpoint retires a refresh token once redeemed, so a process that kept
    // its rolled token in memory only could not start again from the consented one.
    const restartedInMemory = credentialFor(new InMemoryRefreshTokenStore(consented));
    await expect(restartedInMemory.getToken(PARTNER_CENTER_SCOPE)).rejects.toMatchObject({
      reason: 'consent-required',
    });

    const restarted = credentialFor(vaultStore());
    expect(claimsOf((await restarted.getToken(PARTNER_CENTER_SCOPE)).token)).toMatchObject({
      idtyp: 'user',
    });
    expect(vault.versions(SECRET_NAME)).toHaveLength(3);

    // The first instance's own copy was rolled by the other one: it reads the vault again.
    nextHour();
    expect((await first.getToken(PARTNER_CENTER_SCOPE)).token).not.toBe(token.token);
    expect(vault.versions(SECRET_NAME)).toHaveLength(4);
    const presented = refreshTokenRedemptions(fixture.endpoint);
    expect(presented).toEqual([
      [1, 200],
      [1, 400],
      [2, 200],
      [3, 200],
    ]);
  });

  it('a Key Vault outage is a clear, retryable failure that carries no secret', async () => {
    const consented = consent();
    vault.fail(503);

    const failure = await credentialFor(vaultStore())
      .getToken(PARTNER_CENTER_SCOPE)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RefreshTokenCredentialError);
    expect(failure).toMatchObject({ reason: 'unavailable', retryable: true });
    expect((failure as Error).message).toMatch(/could not be read from its store/);
    const everything = everythingIn(failure);
    expect(everything).toMatch(/503|unavailable/i);
    for (const secret of [consented, fixture.client.clientSecret, azureIdentity.clientSecret]) {
      expect(everything).not.toContain(secret);
    }
    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken)).toHaveLength(0);
  });

  it('a rolled token Key Vault refuses is used from memory, saved later, and never logged', async () => {
    consent();
    vault.fail(403, 'PUT');
    const credential = credentialFor(vaultStore());

    await credential.getToken(PARTNER_CENTER_SCOPE);
    expect(vault.versions(SECRET_NAME)).toHaveLength(1);
    expect(logger.lines.join('\n')).toMatch(/could not be saved; kept in memory/);

    // The vault still holds the retired token: only the one kept in memory can be redeemed.
    nextHour();
    await credential.getToken(PARTNER_CENTER_SCOPE);
    vault.fail(undefined);
    nextHour();
    await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(vault.versions(SECRET_NAME)).toHaveLength(2);
    expect(refreshTokenRedemptions(fixture.endpoint)).toEqual([
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
    // The saved one is the newest: a restarted instance can go on from it.
    await expect(credentialFor(vaultStore()).getToken(PARTNER_CENTER_SCOPE)).resolves.toBeDefined();
    const logged = logger.lines.join('\n');
    expect(logged).not.toMatch(/0\.A[\w-]{20,}/);
    expect(logged).not.toContain(azureIdentity.clientSecret);
  });

  it('createRefreshTokenStore uses the Key Vault secret when one is configured', async () => {
    vault.putSecret(SECRET_NAME, 'from-the-vault');
    const fromVault = createRefreshTokenStore(
      { refreshToken: undefined, refreshTokenSecretUri: `${vault.url}/secrets/${SECRET_NAME}` },
      azureCredential,
      LOCAL_VAULT_OPTIONS,
    );
    expect(await fromVault.load()).toBe('from-the-vault');

    let asked = false;
    const fromSetting = createRefreshTokenStore(
      { refreshToken: 'from-the-setting', refreshTokenSecretUri: undefined },
      () => {
        asked = true;
        return azureCredential();
      },
    );
    expect(await fromSetting.load()).toBe('from-the-setting');
    expect(asked).toBe(false);
  });
});

describe('secretIdentifierProblems', () => {
  it.each([
    'https://my-vault.vault.azure.net/secrets/partner-center-refresh-token',
    'https://my-vault.vault.usgovcloudapi.net/secrets/pc-token/',
  ])('accepts %s', (uri) => {
    expect(secretIdentifierProblems(uri)).toEqual([]);
  });

  it.each([
    ['not a url', /absolute URL/],
    ['http://my-vault.vault.azure.net/secrets/pc', /https/],
    [
      'https://my-vault.vault.azure.net/secrets/pc/0123456789abcdef0123456789abcdef',
      /without a version/,
    ],
    ['https://my-vault.vault.azure.net/keys/pc', /secret identifier/],
    ['https://my-vault.vault.azure.net/', /secret identifier/],
    ['https://my-vault.vault.azure.net/secrets/pc?api-version=7.5', /query/],
  ])('refuses %s', (uri, message) => {
    expect(secretIdentifierProblems(uri).join()).toMatch(message);
  });
});
