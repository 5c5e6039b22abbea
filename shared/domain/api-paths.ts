/**
 * Where the gateway's routes live: host.json's `extensions.http.routePrefix`, fixed by the
 * contract (a test holds the two equal).
 */
export const API_BASE_PATH = '/api/v1';

/** A customer's qualifications: where a submission is read back, and what its events are about. */
export function customerQualificationsPath(customerId: string): string {
  return `${API_BASE_PATH}/customers/${customerId}/qualifications`;
}
