/**
 * Every kind of problem the gateway answers with, once: its title, the statuses it comes with and
 * an example detail. A problem's `type` is `docs/problems.md#<name>`: the project ships that page
 * (one entry per type: meaning, cause, what the caller should do), so the reference never points
 * at a host the project does not own. A test keeps this list and the page in step.
 */
export const PROBLEM_TYPES = {
  'invalid-request': {
    title: 'Invalid request',
    statuses: [400],
    example: 'path.customerId: must be a GUID (the customer tenant id)',
  },
  'unsupported-media-type': {
    title: 'Unsupported media type',
    statuses: [415],
    example: 'The body must be JSON, sent with Content-Type: application/json.',
  },
  'payload-too-large': {
    title: 'Payload too large',
    statuses: [413],
    example: 'The body must not exceed 64 KiB.',
  },
  unauthorized: {
    title: 'Unauthorized',
    statuses: [401],
    example: 'A valid Entra ID access token for this API is required.',
  },
  forbidden: {
    title: 'Forbidden',
    statuses: [403],
    example: 'The caller does not have the app role this operation needs.',
  },
  'no-customer-relationship': {
    title: 'No customer relationship',
    statuses: [403],
    example:
      'The partner ID 1234567 has no commerce relationship with the customer ID 6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a.',
  },
  'mfa-required': {
    title: 'MFA required',
    statuses: [401],
    example: 'Partner Center requires a user who signed in with multi-factor authentication.',
  },
  'refused-by-partner-center': {
    title: 'Refused by Partner Center',
    statuses: [403],
    example: "Partner Center refused the caller's user this operation.",
  },
  'on-behalf-of-refused': {
    title: 'On-Behalf-Of refused',
    statuses: [403],
    example:
      "Entra ID would not exchange the caller's token for a Partner Center token: a user's token, signed in with multi-factor authentication and not about to expire, is needed.",
  },
  'rejected-by-partner-center': {
    title: 'Rejected by Partner Center',
    statuses: [400],
    example: 'Invalid property',
  },
  'customer-not-found': {
    title: 'Customer not found',
    statuses: [404],
    example: 'Tenant not found',
  },
  'conflict-in-partner-center': {
    title: 'Conflict in Partner Center',
    statuses: [409],
    example: 'A qualification of this kind is already in review for this customer.',
  },
  'request-in-flight': {
    title: 'Request in flight',
    statuses: [409],
    example: 'A request with this Idempotency-Key is still being processed; retry later.',
  },
  'idempotency-key-reused': {
    title: 'Idempotency-Key reused',
    statuses: [422],
    example: 'This Idempotency-Key was already used with a different request.',
  },
  'too-many-submissions-in-flight': {
    title: 'Too many submissions in flight',
    statuses: [429],
    example:
      'This customer has as many submissions awaiting Partner Center as it may; retry once they are settled.',
  },
  'internal-error': {
    title: 'Internal error',
    statuses: [500],
    example: 'The request failed unexpectedly. The correlation id finds it in the logs.',
  },
  'upstream-error': {
    title: 'Upstream error',
    statuses: [502],
    example: 'Partner Center could not be used (server error): Service unavailable',
  },
  'invalid-upstream-response': {
    title: 'Invalid upstream response',
    statuses: [502],
    example:
      "Partner Center's answer did not have its documented shape; nothing was taken from it.",
  },
  'upstream-authorization-failed': {
    title: 'Upstream authorization failed',
    statuses: [502],
    example: 'Partner Center refused the gateway. The operator has to check its configuration.',
  },
  'credential-unavailable': {
    title: 'Credential unavailable',
    statuses: [502, 503],
    example:
      'The gateway could not get its app-only token for Partner Center right now; Partner Center was not called.',
  },
  'upstream-throttled': {
    title: 'Upstream throttled',
    statuses: [503],
    example: 'Partner Center is throttling requests.',
  },
  'upstream-circuit-open': {
    title: 'Upstream circuit open',
    statuses: [503],
    example: 'Partner Center failed repeatedly; the gateway is not calling it for a while.',
  },
  'gateway-busy': {
    title: 'Gateway busy',
    statuses: [503],
    example: 'Too many Partner Center calls are in flight.',
  },
  busy: {
    title: 'Busy',
    statuses: [503],
    example: 'The gateway could not complete the request just now; retry shortly.',
  },
  'storage-unavailable': {
    title: 'Storage unavailable',
    statuses: [503],
    example: 'The gateway cannot reach its storage right now; nothing was changed. Retry later.',
  },
  'upstream-timeout': {
    title: 'Upstream timeout',
    statuses: [504],
    example: 'Partner Center did not answer in time.',
  },
} as const satisfies Record<
  string,
  { readonly title: string; readonly statuses: readonly number[]; readonly example: string }
>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** The page, in the repository and the deployment's sources, that explains every problem type. */
export const PROBLEM_TYPES_PAGE = 'docs/problems.md';

export function problemTypeUri(type: ProblemType): string {
  return `${PROBLEM_TYPES_PAGE}#${type}`;
}
