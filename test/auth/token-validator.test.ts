import { generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult } from '../../shared/auth/auth-result.js';
import type { InboundAuthConfig } from '../../shared/auth/inbound-auth-config.js';
import { TokenValidator } from '../../shared/auth/token-validator.js';
import { startEntraIdFixture, type EntraIdFixture } from '../support/entra-id-fixture.js';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe('TokenValidator', () => {
  let idp: EntraIdFixture;
  let validator: TokenValidator;

  function validatorFor(overrides: Partial<InboundAuthConfig> = {}): TokenValidator {
    return new TokenValidator({
      audience: [idp.audience, CLIENT_ID],
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      tenantId: idp.tenantId,
      ...overrides,
    });
  }

  const now = () => Math.floor(Date.now() / 1_000);

  beforeAll(async () => {
    idp = await startEntraIdFixture();
    validator = validatorFor();
  });

  afterAll(() => idp.close());

  it('accepts a valid token and reads the caller from it', async () => {
    const token = await idp.mintToken({
      claims: { roles: ['Qualifications.Read', 'Qualifications.Write'] },
    });
    expect(await validator.validate(`Bearer ${token}`)).toEqual({
      ok: true,
      principal: {
        subject: '00000000-0000-0000-0000-0000000000aa',
        appId: '00000000-0000-0000-0000-0000000000bb',
        tenantId: idp.tenantId,
        roles: ['Qualifications.Read', 'Qualifications.Write'],
        token,
      },
    });
  });

  it("accepts a user's access token (scp), and refuses ID tokens and tokens with neither roles nor scp", async () => {
    const user = { sub: 'pairwise-subject', oid: '00000000-0000-0000-0000-0000000000cc' };
    const delegated = await idp.mintToken({
      claims: { ...user, scp: 'access_as_user', roles: ['Qualifications.Read'] },
    });
    expect((await validator.validate(`Bearer ${delegated}`)).ok).toBe(true);
    // A v2 ID token of the gateway's own registration: right audience, roles, but about a user
    // (sub is not oid) and without scp or azp.
    const idToken = await idp.mintToken({
      claims: {
        ...user,
        aud: CLIENT_ID,
        azp: undefined,
        nonce: 'n',
        roles: ['Qualifications.Read'],
      },
    });
    expect(await validator.validate(`Bearer ${idToken}`)).toMatchObject({
      ok: false,
      reason: 'not-an-access-token',
    });
    const bare = await idp.mintToken({ claims: { roles: undefined } });
    expect(await validator.validate(`Bearer ${bare}`)).toMatchObject({
      reason: 'not-an-access-token',
    });
    const appWithIdtyp = await idp.mintToken({ claims: { ...user, idtyp: 'app' } });
    expect((await validator.validate(`Bearer ${appWithIdtyp}`)).ok).toBe(true);
  });

  it('takes the scheme in any case and tolerates surrounding whitespace', async () => {
    const token = await idp.mintToken();
    expect((await validator.validate(`bearer ${token}`)).ok).toBe(true);
    expect((await validator.validate(`  BEARER   ${token}  `)).ok).toBe(true);
  });

  it('accepts every configured audience, e.g. the client id of v2.0 tokens', async () => {
    const token = await idp.mintToken({ claims: { aud: CLIENT_ID } });
    expect((await validator.validate(`Bearer ${token}`)).ok).toBe(true);
    const onlyUri = validatorFor({ audience: idp.audience });
    expect(await onlyUri.validate(`Bearer ${token}`)).toMatchObject({
      ok: false,
      reason: 'wrong-audience',
    });
  });

  it("reads a user's token without roles as none, and the v1.0 appid when there is no azp", async () => {
    const token = await idp.mintToken({
      claims: { roles: undefined, scp: 'access_as_user', azp: undefined, appid: 'v1-app' },
    });
    const result = await validator.validate(`Bearer ${token}`);
    expect(result).toMatchObject({ ok: true, principal: { roles: [], appId: 'v1-app' } });
  });

  it('compares the tenant id case-insensitively and skips the check when none is set', async () => {
    const token = await idp.mintToken();
    const upperCase = validatorFor({ tenantId: idp.tenantId.toUpperCase() });
    expect((await upperCase.validate(`Bearer ${token}`)).ok).toBe(true);
    const anyTenant = validatorFor({ tenantId: undefined });
    expect((await anyTenant.validate(`Bearer ${await idp.mintWrongTenant()}`)).ok).toBe(true);
  });

  it('allows the configured clock skew on exp and nbf, and no more', async () => {
    const justExpired = await idp.mintToken({ claims: { exp: now() - 30 } });
    const almostValid = await idp.mintToken({ claims: { nbf: now() + 30 } });
    expect((await validator.validate(`Bearer ${justExpired}`)).ok).toBe(true);
    expect((await validator.validate(`Bearer ${almostValid}`)).ok).toBe(true);
    const strict = validatorFor({ clockToleranceSeconds: 0 });
    expect(await strict.validate(`Bearer ${justExpired}`)).toMatchObject({ reason: 'expired' });
    expect(await strict.validate(`Bearer ${almostValid}`)).toMatchObject({
      reason: 'not-yet-valid',
    });
  });

  describe('refuses', () => {
    const tampered = async (): Promise<string> => {
      const [header, , signature] = (await idp.mintToken()).split('.');
      const [, payload] = (
        await idp.mintToken({ claims: { roles: ['Qualifications.Write'] } })
      ).split('.');
      return `${String(header)}.${String(payload)}.${String(signature)}`;
    };

    const cases: [string, () => Promise<string | null>, AuthResult & { ok: false }][] = [
      [
        'no Authorization header',
        () => Promise.resolve(null),
        { ok: false, reason: 'missing-token' },
      ],
      ['an empty header', () => Promise.resolve(''), { ok: false, reason: 'missing-token' }],
      [
        '"Bearer" alone',
        () => Promise.resolve('Bearer'),
        expect.objectContaining({ reason: 'missing-token' }),
      ],
      [
        'another scheme',
        () => Promise.resolve(`Basic ${Buffer.from('user:pass').toString('base64')}`),
        { ok: false, reason: 'unsupported-scheme' },
      ],
      [
        'a bare token without scheme',
        async () => idp.mintToken(),
        { ok: false, reason: 'unsupported-scheme' },
      ],
      [
        'a token that is not a JWS',
        () => Promise.resolve('Bearer not-a-jwt'),
        expect.objectContaining({ reason: 'malformed' }),
      ],
      [
        'a token whose header is not JSON',
        () => Promise.resolve('Bearer bm90LWpzb24.e30.c2ln'),
        expect.objectContaining({ reason: 'malformed' }),
      ],
      [
        'two credentials',
        async () => `Bearer ${await idp.mintToken()} ${await idp.mintToken()}`,
        expect.objectContaining({ reason: 'malformed' }),
      ],
      [
        'an expired token',
        async () => `Bearer ${await idp.mintExpired()}`,
        { ok: false, reason: 'expired' },
      ],
      [
        'a token not valid yet',
        async () => `Bearer ${await idp.mintNotYetValid()}`,
        { ok: false, reason: 'not-yet-valid' },
      ],
      [
        'a token for another audience',
        async () => `Bearer ${await idp.mintWrongAudience()}`,
        { ok: false, reason: 'wrong-audience' },
      ],
      [
        'a token from another issuer',
        async () => `Bearer ${await idp.mintWrongIssuer()}`,
        { ok: false, reason: 'wrong-issuer' },
      ],
      [
        'a token from another tenant',
        async () => `Bearer ${await idp.mintWrongTenant()}`,
        { ok: false, reason: 'wrong-tenant' },
      ],
      [
        'a token without tid when a tenant is configured',
        async () => `Bearer ${await idp.mintToken({ claims: { tid: undefined } })}`,
        { ok: false, reason: 'wrong-tenant' },
      ],
      [
        'alg none',
        () => Promise.resolve(`Bearer ${idp.mintUnsignedToken()}`),
        expect.objectContaining({ reason: 'algorithm-not-allowed' }),
      ],
      [
        'HS256 signed with the public key PEM',
        async () => `Bearer ${await idp.mintHs256WithPublicKey('pem')}`,
        expect.objectContaining({ reason: 'algorithm-not-allowed' }),
      ],
      [
        'HS256 signed with the public key JWK',
        async () => `Bearer ${await idp.mintHs256WithPublicKey('jwk')}`,
        expect.objectContaining({ reason: 'algorithm-not-allowed' }),
      ],
      [
        'a token signed by a key not in the key set',
        async () => `Bearer ${await idp.mintWithUnknownKey()}`,
        expect.objectContaining({ reason: 'unknown-key' }),
      ],
      [
        'a token whose payload was swapped after signing',
        async () => `Bearer ${await tampered()}`,
        { ok: false, reason: 'invalid-signature' },
      ],
      [
        'a token without exp',
        async () => `Bearer ${await idp.mintToken({ claims: { exp: undefined } })}`,
        expect.objectContaining({ reason: 'malformed' }),
      ],
      [
        'a token without sub',
        async () => `Bearer ${await idp.mintToken({ claims: { sub: undefined } })}`,
        expect.objectContaining({ reason: 'malformed' }),
      ],
      [
        'a token whose roles are not a list of strings',
        async () => `Bearer ${await idp.mintToken({ claims: { roles: 'Qualifications.Write' } })}`,
        expect.objectContaining({ reason: 'malformed' }),
      ],
    ];

    it.each(cases)('%s', async (_name, header, expected) => {
      const authorization = await header();
      const result = await validator.validate(authorization);
      expect(result).toEqual(expected);
      // A failure never carries the token, not even in its detail.
      const secrets = (authorization ?? '').split(/[\s.]+/).filter((part) => part.length > 20);
      for (const secret of secrets) expect(JSON.stringify(result)).not.toContain(secret);
    });
  });

  it('refuses alg none and HMAC tokens before any key set fetch', async () => {
    const rs512 = await generateKeyPair('RS512');
    const fresh = validatorFor();
    const before = idp.jwksFetchCount();
    for (const token of [
      idp.mintUnsignedToken(),
      await idp.mintHs256WithPublicKey('pem'),
      await idp.mintHs256WithPublicKey('jwk'),
      await idp.mintToken({ header: { alg: 'RS512' }, key: rs512.privateKey }),
    ]) {
      expect(await fresh.validate(`Bearer ${token}`)).toMatchObject({
        reason: 'algorithm-not-allowed',
      });
    }
    expect(idp.jwksFetchCount()).toBe(before);
  });

  it('mints a real key-confusion token: a naive HMAC verifier with the public key accepts it', async () => {
    // Without this, the HS256 case above could pass with a token no verifier would accept.
    const token = await idp.mintHs256WithPublicKey('pem');
    const { payload } = await jwtVerify(token, await idp.publicKeyBytes('pem'), {
      algorithms: ['HS256'],
    });
    expect(payload.iss).toBe(idp.issuer);
  });
});
