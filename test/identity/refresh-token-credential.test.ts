import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RefreshTokenCredential,
  type RefreshTokenCredentialOptions,
} from '../../shared/identity/refresh-token-credential.js';
import { RefreshTokenCredentialError } from '../../shared/identity/refresh-token-credential-error.js';
import {
  InMemoryRefreshTokenStore,
  type RefreshTokenStore,
} from '../../shared/identity/refresh-token-store.js';
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

/** The in-memory store, remembering what it was handed. */
class RecordingStore extends InMemoryRefreshTokenStore {
  readonly saved: string[] = [];

  override save(token: string): Promise<void> {
    this.saved.push(token);
    return super.save(token);
  }
}

describe('RefreshTokenCredential (Secure Application Model)', () => {
  let fixture: IdentityFixture;
  let clockMs: number;
  let logger: RecordingLogger;

  beforeEach(async () => {
    fixture = await startIdentityFixture();
    clockMs = Date.now();
    logger = new RecordingLogger();
  });
  afterEach(() => fixture.endpoint.close());

  const credentialFor = (
    store: RefreshTokenStore,
    overrides: Partial<RefreshTokenCredentialOptions> = {},
  ): RefreshTokenCredential =>
    new RefreshTokenCredential({
      ...theApp(fixture),
      refreshTokenStore: store,
      logger,
      clock: { now: () => new Date(clockMs) },
      ...overrides,
    });

  const consentedStore = (): RecordingStore =>
    new RecordingStore(fixture.endpoint.issueRefreshToken(fixture.client.clientId));

  it('redeems the consented refresh token for an App+User token, with no discovery call', async () => {
    const credential = credentialFor(consentedStore());
    // msal-node 5 sends every request through the global fetch.
    const fetchSpy = vi.spyOn(globalThis, 'fetch');

    const token = await credential.getToken(PARTNER_CENTER_SCOPE);
    const fetched = fetchSpy.mock.calls.map(([input]) =>
      input instanceof Request ? input.url : input.toString(),
    );
    fetchSpy.mockRestore();

    expect(fetched.map((url) => url.replace(/\?.*$/, ''))).toEqual([fixture.endpoint.tokenUrl]);
    expect(claimsOf(token.token)).toMatchObject({
      idtyp: 'user',
      scp: 'user_impersonation',
      amr: ['pwd', 'mfa'],
      appid: fixture.client.clientId,
    });
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60_000);
    // Only the token request: MSAL was given the metadata it would otherwise fetch.
    expect(fixture.endpoint.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        grantType: GRANT.refreshToken,
        clientId: fixture.client.clientId,
        refreshTokenSerial: 1,
        clientAuthentication: 'secret',
        status: 200,
      }),
    ]);
    expect(fixture.endpoint.requests[0]?.scope?.split(' ')).toContain(PARTNER_CENTER_SCOPE);
  });

  it('serves the cached access token until shortly before it expires', async () => {
    const credential = credentialFor(consentedStore());

    const first = await credential.getToken(PARTNER_CENTER_SCOPE);
    clockMs += 50 * 60_000; // 10 minutes left: still outside the 5-minute margin
    const second = await credential.getToken([PARTNER_CENTER_SCOPE]);
    clockMs += 6 * 60_000; // 4 minutes left
    const third = await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(second.token).toBe(first.token);
    expect(third.token).not.toBe(first.token);
    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken)).toHaveLength(2);
  });

  it('rolls the refresh token: the next redemption presents the new one, the old one is dead', async () => {
    const store = consentedStore();
    const seed = await store.load();
    const credential = credentialFor(store);

    await credential.getToken(PARTNER_CENTER_SCOPE);
    const rolled = await store.load();
    clockMs += 60 * 60_000;
    await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(rolled).not.toBe(seed);
    expect(store.saved[0]).toBe(rolled);
    expect(store.saved).toHaveLength(2);
    expect(await store.load()).not.toBe(rolled);
    expect(
      fixture.endpoint.tokenRequests(GRANT.refreshToken).map((r) => r.refreshTokenSerial),
    ).toEqual([1, 2]);
    const reuse = await fetch(fixture.endpoint.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: GRANT.refreshToken,
        client_id: fixture.client.clientId,
        client_secret: fixture.client.clientSecret,
        refresh_token: seed,
        scope: PARTNER_CENTER_SCOPE,
      }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('shares one redemption among 10 concurrent callers', async () => {
    const credential = credentialFor(consentedStore());
    fixture.endpoint.setResponseDelay(150);

    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => credential.getToken(PARTNER_CENTER_SCOPE)),
    );

    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken)).toHaveLength(1);
  });

  it('gives 10 concurrent callers one failure, not 10 refused redemptions', async () => {
    const store = consentedStore();
    fixture.endpoint.revokeRefreshTokens();
    fixture.endpoint.setResponseDelay(50);
    const credential = credentialFor(store);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => credential.getToken(PARTNER_CENTER_SCOPE)),
    );

    expect(outcomes.map((o) => o.status)).toEqual(Array<string>(10).fill('rejected'));
    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken)).toHaveLength(1);
  });

  it('runs redemptions for different scopes one after another (each spends the token)', async () => {
    const credential = credentialFor(consentedStore());
    fixture.endpoint.setResponseDelay(50);

    const [partnerCenter, graph] = await Promise.all([
      credential.getToken(PARTNER_CENTER_SCOPE),
      credential.getToken('https://graph.microsoft.com/.default'),
    ]);

    expect(claimsOf(partnerCenter.token).aud).toBe('https://api.partnercenter.microsoft.com');
    expect(claimsOf(graph.token).aud).toBe('https://graph.microsoft.com');
    expect(refreshTokenRedemptions(fixture.endpoint)).toEqual([
      [1, 200],
      [2, 200],
    ]);
  });

  it('says to re-run consent on invalid_grant, without any secret in the error', async () => {
    const store = consentedStore();
    const refreshToken = await store.load();
    fixture.endpoint.revokeRefreshTokens();
    const credential = credentialFor(store);

    const error: unknown = await credential.getToken(PARTNER_CENTER_SCOPE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RefreshTokenCredentialError);
    const failure = error as RefreshTokenCredentialError;
    expect(failure.reason).toBe('consent-required');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/re-run consent/i);
    expect(failure.message).toContain('invalid_grant');
    expect((failure.cause as Error).message).toContain('AADSTS70000');
    const everything = everythingIn(failure) + logger.lines.join('\n');
    expect(everything).not.toContain(refreshToken);
    expect(everything).not.toContain(fixture.client.clientSecret);
    expect(store.saved).toEqual([]);
  });

  it('blames the app registration when the client secret is refused, without echoing it', async () => {
    const wrongSecret = `wrong-${randomUUID()}`;
    const credential = credentialFor(consentedStore(), { clientSecret: wrongSecret });

    const error: unknown = await credential.getToken(PARTNER_CENTER_SCOPE).catch((e: unknown) => e);

    expect(error).toMatchObject({ reason: 'client-rejected', retryable: false });
    expect((error as Error).message).toMatch(/client secret or certificate/);
    expect(everythingIn(error) + logger.lines.join('\n')).not.toContain(wrongSecret);
  });

  it('reports an unreachable token endpoint as retryable', async () => {
    const store = consentedStore();
    const credential = credentialFor(store);
    await fixture.endpoint.close();

    const error: unknown = await credential.getToken(PARTNER_CENTER_SCOPE).catch((e: unknown) => e);

    expect(error).toMatchObject({ reason: 'unavailable', retryable: true });
    expect(everythingIn(error)).not.toContain(await store.load());
  });

  it('re-reads the store once when its copy was already spent by another instance', async () => {
    const shared = consentedStore();
    const spent = await shared.load();
    await credentialFor(shared).getToken(PARTNER_CENTER_SCOPE); // the other instance rolls it
    let reads = 0;
    const staleFirst: RefreshTokenStore = {
      load: () => (reads++ === 0 ? Promise.resolve(spent) : shared.load()),
      save: (token) => shared.save(token),
    };

    const token = await credentialFor(staleFirst).getToken(PARTNER_CENTER_SCOPE);

    expect(claimsOf(token.token).idtyp).toBe('user');
    expect(refreshTokenRedemptions(fixture.endpoint)).toEqual([
      [1, 200],
      [1, 400],
      [2, 200],
    ]);
  });

  it('keeps a rolled token the store refused and uses it next time', async () => {
    const store = consentedStore();
    let failSaves = true;
    const flaky: RefreshTokenStore = {
      load: () => store.load(),
      save: (token) =>
        failSaves ? Promise.reject(new Error('Key Vault unavailable')) : store.save(token),
    };
    const credential = credentialFor(flaky);

    await credential.getToken(PARTNER_CENTER_SCOPE);
    failSaves = false;
    clockMs += 60 * 60_000;
    await credential.getToken(PARTNER_CENTER_SCOPE);

    expect(refreshTokenRedemptions(fixture.endpoint)).toEqual([
      [1, 200],
      [2, 200],
    ]);
    expect(store.saved).toHaveLength(1);
    expect(logger.lines.join('\n')).toContain('could not be saved');
    expect(logger.lines.join('\n')).not.toMatch(/0\.A[\w-]{20,}/);
  });

  it('lets one caller give up without cancelling the redemption for the others', async () => {
    const credential = credentialFor(consentedStore());
    fixture.endpoint.setResponseDelay(150);
    const impatient = new AbortController();

    const abandoned = credential.getToken(PARTNER_CENTER_SCOPE, { abortSignal: impatient.signal });
    const patient = credential.getToken(PARTNER_CENTER_SCOPE);
    impatient.abort();

    await expect(abandoned).rejects.toMatchObject({ name: 'AbortError' });
    await expect(patient).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(fixture.endpoint.tokenRequests(GRANT.refreshToken)).toHaveLength(1);
  });
});

describe('InMemoryRefreshTokenStore', () => {
  it('refuses an empty seed (an unset or unresolved setting)', () => {
    expect(() => new InMemoryRefreshTokenStore('  ')).toThrow(/empty/);
  });

  it('hands back what was saved last', async () => {
    const store = new InMemoryRefreshTokenStore('first');
    await store.save('second');
    expect(await store.load()).toBe('second');
  });
});
