/**
 * What the gateway knows about an authenticated caller, whichever way it was identified (a
 * bearer token it validated itself, or App Service Authentication).
 */
export interface Principal {
  /** `sub`: stable per caller and per application. */
  readonly subject: string;
  /** The calling client application (`azp` in v2.0 tokens, `appid` in v1.0). */
  readonly appId: string | undefined;
  readonly tenantId: string | undefined;
  /** App roles granted to the caller; empty when the token carries none. */
  readonly roles: readonly string[];
  /**
   * The raw access token, kept for on-behalf-of calls. It is a secret: the logger redacts it by
   * name, and it must never be put in a response. Undefined when App Service Authentication
   * validated the token and the gateway never saw it.
   */
  readonly token: string | undefined;
}

/**
 * Why a caller is not authenticated. Every reason means 401 for the caller; the distinction is
 * for logs and metrics (a `key-set-unavailable` spike is an outage, not an attack).
 */
export type AuthFailureReason =
  | 'missing-token'
  | 'unsupported-scheme'
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'invalid-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'wrong-tenant'
  | 'not-an-access-token'
  | 'key-set-unavailable';

export interface AuthFailure {
  readonly ok: false;
  readonly reason: AuthFailureReason;
  /** A short, token-free explanation for the log line; never sent to the caller. */
  readonly detail?: string;
}

export type AuthResult = { readonly ok: true; readonly principal: Principal } | AuthFailure;

export function authFailure(reason: AuthFailureReason, detail?: string): AuthFailure {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
