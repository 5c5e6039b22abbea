import { RestError } from '@azure/data-tables';

/** The status code of a Table Storage error, or undefined for anything else. */
export function tableStatusCode(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** 409 on create and 412 on a conditional update both mean another writer got there first. */
export function isLostRace(error: unknown): boolean {
  const status = tableStatusCode(error);
  return status === 409 || status === 412;
}
