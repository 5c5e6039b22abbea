/**
 * How a call to Partner Center ended, in terms the use cases decide on. Adapters translate
 * HTTP statuses and transport errors into these; nothing here knows about HTTP.
 */
export type UpstreamFailure =
  /** Partner Center answered with a client error (4xx other than 429). */
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly code?: string | number;
      readonly description?: string;
    }
  /** Partner Center throttled the call and the wait did not fit the deadline. */
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  /** 5xx, a network error, a redirect or a response that does not match the documented shape. */
  | { readonly kind: 'unavailable'; readonly status?: number; readonly reason: string }
  /** The call did not finish within its deadline. */
  | { readonly kind: 'timeout' }
  /** Recent calls failed so often that the gateway stopped calling for a while. */
  | { readonly kind: 'circuit-open'; readonly retryAfterSeconds: number }
  /** Too many calls are already in flight; the gateway refuses more instead of queueing. */
  | { readonly kind: 'saturated'; readonly retryAfterSeconds: number };

export type UpstreamResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: UpstreamFailure };

/** Failures after which a cached copy is better than no answer. */
export function isUnavailability(failure: UpstreamFailure): boolean {
  return failure.kind !== 'rejected';
}
