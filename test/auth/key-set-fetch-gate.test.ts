import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeySetFetchGate, KeySetUnavailableError } from '../../shared/auth/key-set-fetch-gate.js';
import type { InboundAuthConfig } from '../../shared/auth/inbound-auth-config.js';
import { TokenValidator } from '../../shared/auth/token-validator.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';

const COOLDOWN_SECONDS = 30;

/**
 * The cooldowns (jose's after a success, the fetch gate's after a failure) are measured with
 * `Date.now()`. Only `Date` is faked, so HTTP and timeouts run for real while the test decides
 * when the cooldown has passed: a slow machine (an RSA key generation under load) can no
 * longer let it pass early, and nothing has to sleep.
 */
function freezeClock(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
}

function passCooldown(): void {
  vi.setSystemTime(Date.now() + COOLDOWN_SECONDS * 1_000 + 1);
}

describe('TokenValidator key set cache', () => {
  let idp: EntraIdFixture;

  function validatorFor(overrides: Partial<InboundAuthConfig> = {}): TokenValidator {
    return new TokenValidator({
      audience: idp.audience,
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      tenantId: idp.tenantId,
      ...overrides,
    });
  }

  beforeEach(async () => {
    idp = await startEntraIdFixture();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await idp.close();
  });

  it('fetches the key set once for many tokens, and not again for unknown kids in the cooldown', async () => {
    const validator = validatorFor({ jwksCooldownSeconds: 30 });
    const valid = await idp.mintToken();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => validator.validate(`Bearer ${valid}`)),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(idp.jwksFetchCount()).toBe(1);

    const unknownKid = await idp.mintWithUnknownKey();
    for (let i = 0; i < 25; i++) {
      expect(await validator.validate(`Bearer ${unknownKid}`)).toMatchObject({
        reason: 'unknown-key',
      });
    }
    await Promise.all(Array.from({ length: 25 }, () => validator.validate(`Bearer ${unknownKid}`)));
    expect(idp.jwksFetchCount()).toBe(1);
  });

  it('picks up a rotated signing key with one fetch once the cooldown has passed', async () => {
    freezeClock();
    const validator = validatorFor({ jwksCooldownSeconds: COOLDOWN_SECONDS });
    expect((await validator.validate(`Bearer ${await idp.mintToken()}`)).ok).toBe(true);
    expect(idp.jwksFetchCount()).toBe(1);

    await idp.rotateSigningKey();
    const signedWithNewKey = await idp.mintToken();
    expect(await validator.validate(`Bearer ${signedWithNewKey}`)).toMatchObject({
      reason: 'unknown-key',
    });
    vi.setSystemTime(Date.now() + COOLDOWN_SECONDS * 1_000 - 1_000);
    expect(await validator.validate(`Bearer ${signedWithNewKey}`)).toMatchObject({
      reason: 'unknown-key',
    });
    expect(idp.jwksFetchCount()).toBe(1);

    passCooldown();
    const afterCooldown = await Promise.all(
      Array.from({ length: 10 }, () => validator.validate(`Bearer ${signedWithNewKey}`)),
    );
    expect(afterCooldown.every((result) => result.ok)).toBe(true);
    expect(idp.jwksFetchCount()).toBe(2);
  });

  it('answers key-set-unavailable in an outage, tries again only after the cooldown, and recovers', async () => {
    freezeClock();
    const validator = validatorFor({ jwksCooldownSeconds: COOLDOWN_SECONDS });
    const token = await idp.mintToken();
    idp.setJwksAvailable(false);

    const first = await validator.validate(`Bearer ${token}`);
    expect(first).toMatchObject({ ok: false, reason: 'key-set-unavailable' });
    expect(first.ok ? '' : first.detail).toMatch(/503/);
    for (let i = 0; i < 20; i++) {
      expect(await validator.validate(`Bearer ${token}`)).toMatchObject({
        reason: 'key-set-unavailable',
      });
    }
    expect(idp.jwksFetchCount()).toBe(1);

    passCooldown();
    expect(await validator.validate(`Bearer ${token}`)).toMatchObject({
      reason: 'key-set-unavailable',
    });
    expect(idp.jwksFetchCount()).toBe(2);

    idp.setJwksAvailable(true);
    expect(await validator.validate(`Bearer ${token}`)).toMatchObject({
      reason: 'key-set-unavailable',
    });
    expect(idp.jwksFetchCount()).toBe(2);
    passCooldown();
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    expect(idp.jwksFetchCount()).toBe(3);
  });

  it('keeps validating with cached keys while the endpoint is down', async () => {
    const validator = validatorFor();
    const token = await idp.mintToken();
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    idp.setJwksAvailable(false);
    expect((await validator.validate(`Bearer ${await idp.mintToken()}`)).ok).toBe(true);
    expect(idp.jwksFetchCount()).toBe(1);
  });

  it('keeps the last good keys when a due refresh fails, retries with backoff, and only up to the stale limit', async () => {
    freezeClock();
    const validator = validatorFor({
      jwksCacheMaxAgeSeconds: 60,
      jwksCooldownSeconds: COOLDOWN_SECONDS,
      jwksStaleLimitSeconds: 3_600,
    });
    const token = await idp.mintToken({ expiresInSeconds: 24 * 3_600 });
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    idp.setJwksAvailable(false);

    // Due for a refresh that fails: the good keys keep validating, no caller waits or gets 401.
    vi.setSystemTime(Date.now() + 61_000);
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    await expect.poll(() => idp.jwksFetchCount()).toBe(2);
    for (let i = 0; i < 10; i++)
      expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    expect(idp.jwksFetchCount()).toBe(2);

    // Retried after the cooldown, then after twice as long.
    passCooldown();
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    await expect.poll(() => idp.jwksFetchCount()).toBe(3);
    passCooldown();
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    expect(idp.jwksFetchCount()).toBe(3);

    // Past the stale limit the old keys are not trusted any more.
    vi.setSystemTime(Date.now() + 3_600_000);
    expect(await validator.validate(`Bearer ${token}`)).toMatchObject({
      ok: false,
      reason: 'key-set-unavailable',
    });

    idp.setJwksAvailable(true);
    passCooldown();
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
  });

  it('gives up on a hanging key set endpoint within its deadline', async () => {
    const validator = validatorFor({ jwksTimeoutMs: 200 });
    idp.setJwksDelayMs(5_000);
    const startedAt = performance.now();
    const result = await validator.validate(`Bearer ${await idp.mintToken()}`);
    expect(result).toMatchObject({ ok: false, reason: 'key-set-unavailable' });
    expect(result.ok ? '' : result.detail).toMatch(/timed out/);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
  });
});

describe('KeySetFetchGate body bound', () => {
  const KEY_SET_LIMIT = 256 * 1024;
  let server: Server;
  let url: string;
  let answer: (response: ServerResponse) => void;

  beforeEach(async () => {
    server = createServer((_request, response) => {
      answer(response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/keys`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  /** What jose hands its fetch. */
  const asJoseDoes = () => ({
    method: 'GET' as const,
    redirect: 'manual' as const,
    headers: new Headers(),
    signal: AbortSignal.timeout(5_000),
  });

  /** A JSON key set of about `bytes` bytes. */
  function keySet(bytes: number): string {
    return JSON.stringify({ keys: [], padding: 'x'.repeat(bytes) });
  }

  it('takes a key set just within the bound', async () => {
    const body = keySet(KEY_SET_LIMIT - 100);
    answer = (response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    const fetched = await new KeySetFetchGate(1_000).fetch(url, asJoseDoes());
    expect(await fetched.text()).toBe(body);
  });

  it.each([
    ['declared by its Content-Length', true],
    ['streamed without a length', false],
  ])('refuses a body over 256 KiB %s, naming the bound', async (_name, declared) => {
    const body = keySet(KEY_SET_LIMIT + 1);
    answer = (response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        ...(declared && { 'content-length': String(Buffer.byteLength(body)) }),
      });
      // Streamed in pieces, as a server that declares nothing would send it.
      for (let i = 0; i < body.length; i += 16 * 1024) response.write(body.slice(i, i + 16 * 1024));
      response.end();
    };
    await expect(new KeySetFetchGate(1_000).fetch(url, asJoseDoes())).rejects.toThrow(
      new KeySetUnavailableError(
        `the key set endpoint answered with a body larger than ${KEY_SET_LIMIT} bytes`,
      ),
    );
  });
});
