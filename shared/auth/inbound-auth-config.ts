import { isGuid } from '../domain/customer-id.js';
import { DEFAULT_AUTHORITY_HOST, LOOPBACK_HOSTS } from '../entra-id.js';

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
}

/** How callers are authenticated, as the configuration chose. */
export type InboundAuthMode =
  | { readonly kind: 'off' }
  | {
      readonly kind: 'bearer-token';
      readonly validation: InboundAuthConfig;
      /** Calling client applications allowed (lower-case); undefined: any in the tenant. */
      readonly allowedClientIds?: readonly string[];
    }
  | {
      readonly kind: 'app-service-authentication';
      readonly allowedClientIds?: readonly string[];
    };

export const INBOUND_AUTH_DEFAULTS = {
  clockToleranceSeconds: 60,
  jwksCooldownSeconds: 30,
  jwksCacheMaxAgeSeconds: 3_600,
  jwksStaleLimitSeconds: 86_400,
  jwksTimeoutMs: 5_000,
} as const;

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
