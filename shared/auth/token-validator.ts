import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import * as z from 'zod/mini';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';
import { authFailure, type AuthFailure, type AuthResult } from './auth-result.js';
import { readBearerToken } from './bearer-token.js';
import {
  audiencesOf,
  INBOUND_AUTH_DEFAULTS,
  type InboundAuthConfig,
} from './inbound-auth-config.js';
import { CachedKeySet } from './cached-key-set.js';
import { KeySetUnavailableError } from './key-set-fetch-gate.js';
import '../zod-english.js';

/** The claims the principal is built from, checked only after the signature is. */
const principalClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  oid: z.optional(z.string()),
  tid: z.optional(z.string()),
  azp: z.optional(z.string()),
  appid: z.optional(z.string()),
  idtyp: z.optional(z.string()),
  scp: z.optional(z.string()),
  roles: z.optional(z.array(z.string())),
});

/**
 * Entra ID signs access tokens with RS256 only. Never a symmetric algorithm: the published
 * public key would become the HMAC secret; and never `none`.
 */
const ACCEPTED_ALGORITHMS: readonly string[] = ['RS256'];

const PRINTABLE_ALGORITHM = /^[A-Za-z0-9+-]{1,16}$/;

/**
 * Validates callers' Entra ID access tokens. Build one per process: it holds the cached key
 * set, which is fetched on first use, again after `jwksCacheMaxAgeSeconds`, and again for an
 * unknown `kid` (a key rollover) at most once per cooldown.
 */
export class TokenValidator {
  private readonly keySet: CachedKeySet;
  private readonly audiences: string[];

  /** `config` as loadConfig accepted it: inboundAuthConfigProblems found nothing wrong. */
  constructor(
    private readonly config: InboundAuthConfig,
    clock: Clock = systemClock,
  ) {
    const cooldownMs =
      (config.jwksCooldownSeconds ?? INBOUND_AUTH_DEFAULTS.jwksCooldownSeconds) * 1_000;
    this.keySet = new CachedKeySet(new URL(config.jwksUri), {
      cooldownMs,
      cacheMaxAgeMs:
        (config.jwksCacheMaxAgeSeconds ?? INBOUND_AUTH_DEFAULTS.jwksCacheMaxAgeSeconds) * 1_000,
      staleLimitMs:
        (config.jwksStaleLimitSeconds ?? INBOUND_AUTH_DEFAULTS.jwksStaleLimitSeconds) * 1_000,
      timeoutMs: config.jwksTimeoutMs ?? INBOUND_AUTH_DEFAULTS.jwksTimeoutMs,
      clock,
    });
    this.audiences = audiencesOf(config);
  }

  /**
   * Resolves to the caller, or to why the caller is not authenticated. Rejects only on a
   * defect, never because of what the caller sent.
   */
  async validate(authorizationHeader: string | null): Promise<AuthResult> {
    const bearer = readBearerToken(authorizationHeader);
    if (!bearer.ok) return bearer;
    const { token } = bearer;

    // Checked here, before jose looks a key up: `none` and HMAC tokens never cause a key set
    // fetch, and an RSA public key can never end up used as an HMAC secret.
    let algorithm: unknown;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      return authFailure('malformed', 'the token header is not a JSON object');
    }
    if (typeof algorithm !== 'string' || !ACCEPTED_ALGORITHMS.includes(algorithm)) {
      const shown =
        typeof algorithm === 'string' && PRINTABLE_ALGORITHM.test(algorithm) ? algorithm : '?';
      return authFailure('algorithm-not-allowed', `alg ${shown} is not accepted`);
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet.getKey, {
        algorithms: [...ACCEPTED_ALGORITHMS],
        issuer: this.config.issuer,
        audience: this.audiences,
        clockTolerance:
          this.config.clockToleranceSeconds ?? INBOUND_AUTH_DEFAULTS.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      const failure = failureFor(error);
      if (failure === undefined) {
        throw new Error('Access token validation failed unexpectedly', { cause: error });
      }
      return failure;
    }
    return this.principalFrom(payload, token);
  }

  private principalFrom(payload: JWTPayload, token: string): AuthResult {
    const claims = principalClaimsSchema.safeParse(payload);
    if (!claims.success) {
      const fields = [...new Set(claims.error.issues.map((issue) => String(issue.path[0])))];
      return authFailure('malformed', `unexpected ${fields.join(', ')} claim`);
    }
    const { sub, oid, tid, azp, appid, idtyp, scp, roles } = claims.data;
    const expectedTenant = this.config.tenantId;
    if (expectedTenant !== undefined && tid?.toLowerCase() !== expectedTenant.toLowerCase()) {
      return authFailure('wrong-tenant');
    }
    // Access tokens only. A user's access token carries `scp`; an application's carries `roles`
    // and is about the application itself (`sub` = `oid`, or `idtyp: app`). An ID token of the
    // gateway's own registration has the right audience and may list roles, but has neither.
    const delegated = scp !== undefined && scp.trim() !== '';
    const appOnly =
      (roles ?? []).length > 0 && (idtyp === 'app' || (oid !== undefined && sub === oid));
    if (!delegated && !appOnly) {
      return authFailure('not-an-access-token', 'neither scp nor an application token');
    }
    return {
      ok: true,
      principal: { subject: sub, appId: azp ?? appid, tenantId: tid, roles: roles ?? [], token },
    };
  }
}

/** Maps what jose (or the key set fetch) threw; undefined for anything unexpected. */
function failureFor(error: unknown): AuthFailure | undefined {
  if (error instanceof KeySetUnavailableError) {
    return authFailure('key-set-unavailable', error.message);
  }
  if (!(error instanceof errors.JOSEError)) return undefined;
  if (error instanceof errors.JWTExpired) return authFailure('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return claimFailure(error.claim, error.reason);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return authFailure('invalid-signature');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return authFailure('unknown-key', 'no key in the key set matches the token');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return authFailure('unknown-key', 'the token names no kid and several keys match');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return authFailure('algorithm-not-allowed');
  if (error instanceof errors.JWKSTimeout) {
    return authFailure('key-set-unavailable', 'the key set fetch timed out');
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKInvalid) {
    return authFailure('key-set-unavailable', 'the key set endpoint answered with no usable keys');
  }
  if (error.code === errors.JOSEError.code) {
    // jose raises the bare JOSEError only for a key set response it cannot use.
    return authFailure('key-set-unavailable', error.message);
  }
  return authFailure('malformed', error.message);
}

function claimFailure(claim: string, reason: string): AuthFailure {
  switch (claim) {
    case 'iss':
      return authFailure('wrong-issuer');
    case 'aud':
      return authFailure('wrong-audience');
    case 'nbf':
      return reason === 'check_failed'
        ? authFailure('not-yet-valid')
        : authFailure('malformed', 'the nbf claim is not a number');
    default:
      return authFailure(
        'malformed',
        `${reason === 'missing' ? 'missing' : 'invalid'} ${claim} claim`,
      );
  }
}
