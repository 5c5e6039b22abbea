/** A response kept so that a repeated request can get it again without repeating its effect. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type IdempotencyClaim =
  /** This request owns the key; `requestId` is the MS-RequestId to use (kept across retries). */
  | { readonly kind: 'claimed'; readonly requestId: string; readonly etag: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-flight' };

export interface IdempotencyStore {
  /** Claims `key` within `scope` for a request whose content hashes to `requestHash`. */
  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim>;
  /** Stores the final response; repeats get it from now on. */
  complete(scope: string, key: string, etag: string, response: StoredResponse): Promise<void>;
  /** The outcome is not final (e.g. a timeout): a repeat runs again, with the same MS-RequestId. */
  release(scope: string, key: string, etag: string): Promise<void>;
}

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim older than this was abandoned by a crashed instance and may be taken over. */
export const IDEMPOTENCY_CLAIM_TIMEOUT_MS = 5 * 60 * 1000;
