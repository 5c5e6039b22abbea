import { isGuid } from '../domain/customer-id.js';

/**
 * How the gateway validates its callers' Entra ID access tokens.
 *
 * The app registration must ask for v2.0 access tokens (`api.requestedAccessTokenVersion: 2`
 * in the manifest): only then is `iss` the v2.0 issuer derived below, and `aud` is then the
 * application's client id, so list it in `audience` next to the application id URI.
 */
export interface InboundAuthConfig {
  /** Accepted `aud` values, e.g. the client id and `api://partner-qualifications-gateway`. */
  readonly audience: string | readonly string[];
  /** The exact `iss` value, e.g. `https://login.microsoftonline.com/{tenant}/v2.0`. */
  readonly issuer: string;
  readonly jwksUri: string;
  /** When set, `tid` must equal it (a GUID, compared case-insensitively). */
  readonly tenantId: string | undefined;
  /** Allowed clock skew for `exp` and `nbf`; default 60. */
  readonly clockToleranceSeconds?: number;
  /**
   * Minimum time between two fetches of the key set, after a success (an unknown `kid`) and
   * after a failure (an outage) alike; default 30.
   */
  readonly jwksCooldownSeconds?: number;
  /** How long a fetched key set is trusted before it is fetched again; default 3600. */
  readonly jwksCacheMaxAgeSeconds?: number;
  /**
   * How long after that the last good key set keeps validating tokens while fetching a new one
   * fails (retried in the background with backoff); default 86400.
   */
  readonly jwksStaleLimitSeconds?: number;
  /** Deadline of one key set fetch; default 5000. */
  readonly jwksTimeoutMs?: number;
  /** Accepted `alg` values; default `['RS256']`, the only one Entra ID signs with. */
  readonly acceptedAlgorithms?: readonly string[];
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export const INBOUND_AUTH_DEFAULTS = {
  clockToleranceSeconds: 60,
  jwksCooldownSeconds: 30,
  jwksCacheMaxAgeSeconds: 3_600,
  jwksStaleLimitSeconds: 86_400,
  jwksTimeoutMs: 5_000,
  acceptedAlgorithms: ['RS256'],
} as const;

/**
 * Only asymmetric algorithms: with a symmetric one the published public key would become the
 * HMAC secret, and `none` needs no key at all.
 */
const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The public cloud's (or, with `authorityHost`, a sovereign cloud's) issuer and key set for a
 * tenant. `tenantId` must be the tenant's GUID: `iss` carries the GUID, never a domain name.
 */
export function deriveEntraIdEndpoints(
  tenantId: string,
  authorityHost: string = DEFAULT_AUTHORITY_HOST,
): { issuer: string; jwksUri: string } {
  const host = authorityHost.replace(/\/+$/, '');
  return {
    issuer: `${host}/${tenantId}/v2.0`,
    jwksUri: `${host}/${tenantId}/discovery/v2.0/keys`,
  };
}

export function audiencesOf(config: Pick<InboundAuthConfig, 'audience'>): string[] {
  return typeof config.audience === 'string' ? [config.audience] : [...config.audience];
}

/**
 * Every problem with the settings, so that start-up can name them all at once. An empty list
 * means a TokenValidator can be built from them.
 */
export function inboundAuthConfigProblems(config: InboundAuthConfig): string[] {
  const problems: string[] = [];
  const audiences = audiencesOf(config);
  if (audiences.length === 0 || audiences.some((audience) => audience.trim() === '')) {
    problems.push('audience: required, and no accepted audience may be blank');
  }
  problems.push(...urlProblems('issuer', config.issuer), ...urlProblems('jwksUri', config.jwksUri));
  if (config.tenantId !== undefined && !isGuid(config.tenantId)) {
    problems.push('tenantId: must be the tenant GUID that tokens carry in `tid`');
  }
  problems.push(
    ...rangeProblems('clockToleranceSeconds', config.clockToleranceSeconds, 0, 300),
    ...rangeProblems('jwksCooldownSeconds', config.jwksCooldownSeconds, 0, 3_600),
    ...rangeProblems('jwksCacheMaxAgeSeconds', config.jwksCacheMaxAgeSeconds, 0, 86_400),
    ...rangeProblems('jwksStaleLimitSeconds', config.jwksStaleLimitSeconds, 0, 7 * 86_400),
    ...rangeProblems('jwksTimeoutMs', config.jwksTimeoutMs, 100, 60_000, { whole: true }),
  );
  const algorithms = config.acceptedAlgorithms;
  if (algorithms?.length === 0) {
    problems.push('acceptedAlgorithms: must name at least one algorithm');
  }
  const refused = (algorithms ?? []).filter((algorithm) => !ASYMMETRIC_ALGORITHMS.has(algorithm));
  if (refused.length > 0) {
    problems.push(
      `acceptedAlgorithms: only asymmetric signature algorithms are allowed, not ${refused.join(', ')}`,
    );
  }
  return problems;
}

function urlProblems(name: string, value: string): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${name}: must be an absolute URL`];
  }
  // Plain http only for a local fake identity provider; anything else could be spoofed.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return [];
  }
  return [`${name}: must be https (http only on loopback)`];
}

function rangeProblems(
  name: string,
  value: number | undefined,
  min: number,
  max: number,
  { whole = false } = {},
): string[] {
  if (value === undefined) return [];
  if (
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!whole || Number.isInteger(value))
  ) {
    return [];
  }
  return [`${name}: must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}`];
}
