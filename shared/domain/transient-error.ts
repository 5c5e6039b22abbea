/**
 * A failure that says nothing about the request and goes away by itself: the caller should
 * retry after a moment (the HTTP edge answers 503 with Retry-After), not report a bug.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
