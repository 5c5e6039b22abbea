/**
 * How a call to Partner Center ended, in terms the use cases decide on. Adapters translate
 * HTTP statuses and transport errors into these; nothing here knows about HTTP.
 */

/**
 * The identity a call was made with: the app alone (reads, the timer), the App+User identity the
 * gateway holds (Secure Application Model), or the caller's own user (On-Behalf-Of).
 */
export type PartnerCenterIdentity = 'app-only' | 'app+user' | 'on-behalf-of';

/** Why no token could be had for a call. */
export type CredentialFailureCause =
  /** The token endpoint, or the store behind the credential, could not be used: retry later. */
  | 'unreachable'
  /** Entra ID refused the gateway's own credential (a secret, a certificate, a consent). */
  | 'refused'
  /** No App+User identity is configured: submissions cannot be made. */
  | 'not-configured'
  /** Entra ID would not exchange this caller's token (On-Behalf-Of): the caller's answer. */
  | 'caller-refused';

export type UpstreamFailure =
  /** Partner Center answered with a client error (4xx other than 429). */
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly code?: string | number;
      /** Partner Center's own words, cleaned of control characters and trimmed. */
      readonly description?: string;
      readonly identity?: PartnerCenterIdentity;
    }
  /** Partner Center throttled the call and the wait did not fit the deadline. */
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  /** 5xx, a network error, a redirect or a response that does not match the documented shape. */
  | {
      readonly kind: 'unavailable';
      readonly status?: number;
      readonly reason: string;
      readonly description?: string;
    }
  /** The call did not finish within its deadline. */
  | { readonly kind: 'timeout' }
  /** Recent calls failed so often that the gateway stopped calling for a while. */
  | { readonly kind: 'circuit-open'; readonly retryAfterSeconds: number }
  /** Too many calls are already in flight; the gateway refuses more instead of queueing. */
  | { readonly kind: 'saturated'; readonly retryAfterSeconds: number }
  /** No token for the identity the call needs: Partner Center was not called. */
  | {
      readonly kind: 'credential-unavailable';
      readonly identity: PartnerCenterIdentity;
      readonly cause: CredentialFailureCause;
      /** Set when retrying later can help. */
      readonly retryAfterSeconds?: number;
    };

export type UpstreamResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly failure: UpstreamFailure;
      /**
       * Some attempt of this call reached Partner Center and its outcome is unknown (a timeout,
       * a lost connection, a 5xx): a submission may have been applied whatever the last
       * attempt said.
       */
      readonly outcomeUnknown?: boolean;
    };

/** Failures after which a cached copy is better than no answer. */
export function isUnavailability(failure: UpstreamFailure): boolean {
  return failure.kind !== 'rejected';
}

/** What the health check reports of each identity and of Partner Center itself. */
export interface PartnerCenterHealth {
  /** `fail` while the circuit breaker keeps calls away from Partner Center. */
  readonly partnerCenter: 'ok' | 'fail';
  /** `fail` while the app-only identity cannot get a token (reads and the timer). */
  readonly appOnlyCredential: 'ok' | 'fail';
  /** `fail` while the App+User identity cannot get a token (submissions only). */
  readonly appUserCredential: 'ok' | 'fail' | 'not-configured';
}
