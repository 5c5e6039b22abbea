import * as z from 'zod/mini';
import { authFailure, type AuthResult } from './auth-result.js';
import '../zod-english.js';

/**
 * App Service Authentication ("Easy Auth") support, off by default.
 *
 * When App Service Authentication validates tokens in front of the app, it passes the caller
 * on in the `x-ms-client-principal` header: base64 of
 * `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`. App Service strips that header
 * from incoming requests only while App Service Authentication is on, so anywhere else any
 * caller can forge it. Call this ONLY when the configuration names App Service Authentication
 * as the identity source; in every other mode the header must be ignored, never parsed.
 */
export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';

const MAX_HEADER_LENGTH = 65_536;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** App Service renames some JWT claims to their WS-Federation claim types. */
const SUBJECT_TYPES = [
  'sub',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  'oid',
  'http://schemas.microsoft.com/identity/claims/objectidentifier',
];
const TENANT_TYPES = ['tid', 'http://schemas.microsoft.com/identity/claims/tenantid'];
const APP_ID_TYPES = ['azp', 'appid'];
const ROLE_TYPES = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];

// Made on its first parse (z.lazy), not while an instance starts.
const clientPrincipalSchema = z.lazy(() =>
  z.object({
    auth_typ: z.string().check(z.minLength(1)),
    claims: z.array(z.object({ typ: z.string(), val: z.string() })),
    name_typ: z.optional(z.string()),
    role_typ: z.optional(z.string()),
  }),
);

/** The caller App Service Authentication vouched for; `token` is undefined (never seen). */
export function principalFromClientPrincipalHeader(headerValue: string | null): AuthResult {
  const encoded = headerValue?.trim() ?? '';
  if (encoded === '') return authFailure('missing-token', `no ${CLIENT_PRINCIPAL_HEADER} header`);
  if (encoded.length > MAX_HEADER_LENGTH || !BASE64.test(encoded)) {
    return authFailure('malformed', `${CLIENT_PRINCIPAL_HEADER} is not base64`);
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return authFailure('malformed', `${CLIENT_PRINCIPAL_HEADER} is not base64 JSON`);
  }
  const parsed = clientPrincipalSchema.safeParse(decoded);
  if (!parsed.success) {
    return authFailure('malformed', `${CLIENT_PRINCIPAL_HEADER} is not a client principal`);
  }
  const { claims, role_typ: roleType } = parsed.data;
  const first = (types: readonly string[]): string | undefined => {
    for (const type of types) {
      const claim = claims.find((candidate) => candidate.typ === type && candidate.val !== '');
      if (claim !== undefined) return claim.val;
    }
    return undefined;
  };
  const subject = first(SUBJECT_TYPES);
  if (subject === undefined) {
    return authFailure('malformed', `${CLIENT_PRINCIPAL_HEADER} names no subject`);
  }
  const roleTypes = roleType === undefined ? ROLE_TYPES : [...ROLE_TYPES, roleType];
  const roles = claims.filter((claim) => roleTypes.includes(claim.typ)).map((claim) => claim.val);
  return {
    ok: true,
    principal: {
      subject,
      appId: first(APP_ID_TYPES),
      tenantId: first(TENANT_TYPES),
      roles: [...new Set(roles)],
      token: undefined,
    },
  };
}
