import type { CallContext } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';
import type { HealthReport } from './check-health.js';
import type { getCustomerQualifications } from './get-customer-qualifications.js';
import type { listValidationCodes } from './list-validation-codes.js';
import type { RefreshReport } from './refresh-pending-vetting.js';
import type { submitQualification } from './submit-qualification.js';
import type { summarizeVetting } from './summarize-vetting.js';

/**
 * The use cases as the functions call them: the composition root binds each to its ports and
 * settings, so a function names what it does, never what that needs.
 */
type Bound<F> = F extends (deps: never, ...args: infer A) => infer R ? (...args: A) => R : never;

export type ReadQualifications = Bound<typeof getCustomerQualifications>;
export type SubmitQualification = Bound<typeof submitQualification>;
export type ListValidationCodes = Bound<typeof listValidationCodes>;
export type SummarizeVetting = Bound<typeof summarizeVetting>;
export type CheckHealth = (logger: Logger) => Promise<HealthReport>;

/** The vetting refresh timer: when it runs, one run, and the housekeeping that rides along. */
export interface RefreshTimer {
  /** NCRONTAB, as the Functions host reads it. */
  readonly schedule: string;
  readonly run: (call: CallContext) => Promise<RefreshReport>;
  /** Removes at most `limit` expired idempotency records, within `signal`. */
  readonly purgeExpiredIdempotencyRecords: (limit: number, signal: AbortSignal) => Promise<number>;
}

/** A use case with its first parameter, its dependencies, given. */
export function bind<D, A extends unknown[], R>(
  useCase: (deps: D, ...args: A) => R,
  deps: D,
): (...args: A) => R {
  return (...args) => useCase(deps, ...args);
}
