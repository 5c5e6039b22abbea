/** What the Functions host allows: host.json's functionTimeout, the front end's HTTP limit. */
export const HOST_LIMITS = { functionTimeoutSeconds: 300, httpResponseSeconds: 230 } as const;

/** The timer purges expired idempotency records after its refresh, within the same timeout. */
export const PURGE_BUDGET_SECONDS = 20;
