export type RefreshTokenFailureReason = 'consent-required' | 'client-rejected' | 'unavailable';

/** Says what to do; never carries a token or a secret, nor does any error in its `cause`. */
export class RefreshTokenCredentialError extends Error {
  override readonly name = 'RefreshTokenCredentialError';

  constructor(
    message: string,
    readonly reason: RefreshTokenFailureReason,
    /** False when repeating the request cannot help until someone acts. */
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
