import { randomUUID } from 'node:crypto';
import type { TimerFunctionOptions } from '@azure/functions';
import type { RefreshTimer } from '../shared/application/use-cases.js';
import { createCorrelatedLogger } from '../shared/logging/correlated-logger.js';
import { describeError } from '../shared/logging/redact.js';
import { PURGE_BUDGET_SECONDS } from '../shared/host-limits.js';
import { recordRefreshRun } from '../shared/telemetry/gateway-signals.js';
import { tracedTimer } from '../shared/telemetry/tracing.js';

/** Expired idempotency records removed at most per run; the rest wait for the next. */
const PURGE_LIMIT = 1000;

/**
 * Partner Center sends no event when vetting ends, so this timer asks, for every pending
 * customer, and records and emits what changed. Overlapping runs are harmless: every write is
 * ETag-guarded and every change is recorded once.
 */
export function refreshPendingVettingFunction(refresh: RefreshTimer): TimerFunctionOptions {
  return {
    schedule: refresh.schedule,
    handler: tracedTimer('refresh-pending-vetting', async (timer, context) => {
      const runId = randomUUID();
      const logger = createCorrelatedLogger(context, runId, {
        operation: 'refresh-pending-vetting',
        invocationId: context.invocationId,
      });
      if (timer.isPastDue) logger.warn('Refresh run is late (past due); running now');
      const report = await refresh.run({ correlationId: runId, logger });
      logger.info('Refresh run finished', { ...report });
      recordRefreshRun(report);
      try {
        const purged = await refresh.purgeExpiredIdempotencyRecords(
          PURGE_LIMIT,
          AbortSignal.timeout(PURGE_BUDGET_SECONDS * 1000),
        );
        if (purged > 0) logger.info('Expired idempotency records purged', { purged });
      } catch (error) {
        logger.warn('Purging expired idempotency records failed', { error: describeError(error) });
      }
    }),
  };
}
