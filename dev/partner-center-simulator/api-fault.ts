import { STATUS_CODES } from 'node:http';

/** An answer before it is written, so faults can replace or withhold it after the effect. */
export interface SimResponse {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
  /** A string body written as is (a fault can imitate a proxy's HTML or a truncated answer). */
  verbatim?: boolean;
}

export interface ApiFault {
  code: number;
  description: string;
  data: unknown[];
  source: string;
}

const SOURCE = 'PartnerApiServiceControllers';

export function apiFault(
  status: number,
  code: number,
  description: string,
  headers?: Readonly<Record<string, string>>,
): SimResponse {
  const body: ApiFault = { code, description, data: [], source: SOURCE };
  return headers === undefined ? { status, body } : { status, body, headers };
}

/**
 * Where the docs name no code for an error, the HTTP status doubles as the code, so a reader
 * can tell a simulator-chosen code from a documented one (2000, 3000, 60003, 20002, 900421).
 */
export function genericFault(status: number, description?: string): SimResponse {
  return apiFault(status, status, description ?? STATUS_CODES[status] ?? 'Error');
}

/** Throttling is the one error that does not come as an ApiFault. */
export function throttled(retryAfterSeconds: number): SimResponse {
  return {
    status: 429,
    body: {
      statusCode: 429,
      message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
    },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

export function invalidProperty(description: string): SimResponse {
  return apiFault(400, 3000, description);
}

export function conflict(description: string): SimResponse {
  return genericFault(409, description);
}

export const tenantIdNotGuid = (): SimResponse => apiFault(400, 2000, 'Tenant Id must be a GUID.');

export const tenantNotFound = (): SimResponse => apiFault(404, 60003, 'Tenant not found');

export const noCommerceRelationship = (partnerId: string, customerId: string): SimResponse =>
  apiFault(
    403,
    20002,
    `The partner ID ${partnerId} has no commerce relationship with the customer ID ${customerId}.`,
  );
