/*
 * Token kinds. The simulator is not an identity provider: it decodes a JWT's payload and never
 * verifies a signature, so tests and local runs need no Entra ID.
 * - No Authorization header → "none" (401). Not `Bearer <token>`, a JWT-shaped token whose
 *   header or payload is not a JSON object, or a JWT whose `exp` has passed → "invalid" (401).
 * - JWT (three base64url parts) with `idtyp: "app"` → app-only.
 * - JWT with `idtyp: "user"` or an `scp` claim → app+user; it also needs "mfa" in its `amr`
 *   array, or the request gets 401 / 900421 (Partner Center enforces MFA since 2026-04-01).
 * - Any other JWT (e.g. an Entra v1 app token with only `roles`) → app-only.
 * - An opaque (non-JWT) token → app-only, so `curl -H 'Authorization: Bearer x'` can read.
 */

export type TokenCheck =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'app-only' }
  | { kind: 'app+user'; mfa: boolean };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function checkAuthorization(header: string | undefined, now: Date): TokenCheck {
  if (header === undefined) return { kind: 'none' };
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) {
    return { kind: 'invalid', reason: 'The Authorization header is not a Bearer token.' };
  }
  if (!JWT_SHAPE.test(token)) return { kind: 'app-only' };
  const [headerPart = '', payloadPart = ''] = token.split('.');
  const payload = decodeJsonObject(payloadPart);
  if (decodeJsonObject(headerPart) === undefined || payload === undefined) {
    return { kind: 'invalid', reason: 'The access token is not a well-formed JWT.' };
  }
  const exp = payload.exp;
  if (typeof exp === 'number' && exp * 1000 <= now.getTime()) {
    return { kind: 'invalid', reason: 'The access token has expired.' };
  }
  if (payload.idtyp === 'app') return { kind: 'app-only' };
  if (payload.idtyp === 'user' || payload.scp !== undefined) {
    const amr = payload.amr;
    return { kind: 'app+user', mfa: Array.isArray(amr) && amr.includes('mfa') };
  }
  return { kind: 'app-only' };
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An unsigned JWT-shaped token the simulator accepts as the given kind. It has no `exp`, so an
 * injected clock can never expire it. Not accepted by anything but the simulator.
 */
export function simulatorToken(kind: 'app-only' | 'app+user'): string {
  const common = {
    aud: 'https://api.partnercenter.microsoft.com',
    iss: 'https://sts.windows.net/0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a/',
    tid: '0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a',
    appid: '5e5e5e5e-5e5e-4e5e-8e5e-5e5e5e5e5e5e',
  };
  const payload =
    kind === 'app-only'
      ? { ...common, idtyp: 'app', roles: [] }
      : {
          ...common,
          idtyp: 'user',
          scp: 'user_impersonation',
          amr: ['pwd', 'mfa'],
          upn: 'admin@partner.onmicrosoft.com',
        };
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.${Buffer.from('simulator').toString('base64url')}`;
}
