import { RestError } from '@azure/data-tables';

/** The status code of a Table Storage error, or undefined for anything else. */
export function tableStatusCode(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/**
 * Table Storage's error code (`TableAlreadyExists`, `TableBeingDeleted`, …), when it sent one:
 * the SDK leaves it in the error's details (the `x-ms-error-code` header), not in `code`.
 */
export function tableErrorCode(error: unknown): string | undefined {
  if (!(error instanceof RestError)) return undefined;
  const details: unknown = error.details;
  if (typeof details !== 'object' || details === null || !('errorCode' in details)) {
    return undefined;
  }
  return typeof details.errorCode === 'string' ? details.errorCode : undefined;
}

/** 409 on create and 412 on a conditional update both mean another writer got there first. */
export function isLostRace(error: unknown): boolean {
  const status = tableStatusCode(error);
  return status === 409 || status === 412;
}

/** A conditional write to an entity that another writer changed or deleted first. */
export function isLostRaceOrGone(error: unknown): boolean {
  return isLostRace(error) || tableStatusCode(error) === 404;
}

/** The ETag a write answered with: Table Storage always sends one. */
export function requireEtag(etag: string | undefined): string {
  if (etag === undefined) throw new Error('Table Storage returned no ETag');
  return etag;
}

/**
 * Whether a Table Storage error means the service could not be reached or failed on its side —
 * after the SDK's own retries — as opposed to a bug or a refused request.
 */
export function isOutage(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === undefined || error.statusCode >= 500);
}
