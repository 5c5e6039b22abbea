/**
 * Storage could not be reached, or failed on its side, after its client's own retries: the
 * request met an outage, not a bug and not a refusal. The HTTP edge answers it with 503.
 */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/** Whether `error`, or one of its causes, is a storage outage. */
export function isStorageUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof StorageUnavailableError) return true;
    current = current.cause;
  }
  return false;
}
