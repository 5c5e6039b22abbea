import { authFailure, type AuthFailure } from './auth-result.js';

/** Far above any Entra ID access token, even one carrying 200 group ids. */
const MAX_TOKEN_LENGTH = 32_768;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme name is
 * case-insensitive). Nothing from the header is echoed into a failure's detail: a caller that
 * put a secret there under another scheme must not find it in the logs.
 */
export function readBearerToken(
  authorizationHeader: string | null,
): { readonly ok: true; readonly token: string } | AuthFailure {
  const value = authorizationHeader?.trim() ?? '';
  if (value === '') return authFailure('missing-token');
  const [scheme = '', ...credentials] = value.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') return authFailure('unsupported-scheme');
  const [token] = credentials;
  if (token === undefined)
    return authFailure('missing-token', 'the Bearer scheme carries no token');
  if (credentials.length > 1) return authFailure('malformed', 'more than one credential');
  if (token.length > MAX_TOKEN_LENGTH) return authFailure('malformed', 'the token is too long');
  if (!COMPACT_JWS.test(token)) return authFailure('malformed', 'not a compact JWS');
  return { ok: true, token };
}
