import type { CustomerStore, PartnerCenter } from '../domain/ports.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/redact.js';

export type CheckStatus = 'ok' | 'fail';
export interface HealthReport {
  readonly healthy: boolean;
  readonly checks: { readonly storage: CheckStatus; readonly partnerCenter: CheckStatus };
}

/**
 * Storage is probed with one cheap read. Partner Center is judged by the circuit breaker, not
 * called: probing it every few seconds would spend the partner's throttling budget.
 */
export async function checkHealth(
  store: CustomerStore,
  partnerCenter: PartnerCenter,
  logger: Logger,
): Promise<HealthReport> {
  const storage: CheckStatus = await store.ping().then(
    () => 'ok' as const,
    (error: unknown) => {
      logger.error('Health check: storage failed', { error: describeError(error) });
      return 'fail' as const;
    },
  );
  const upstream: CheckStatus = partnerCenter.isAvailable() ? 'ok' : 'fail';
  return {
    healthy: storage === 'ok' && upstream === 'ok',
    checks: { storage, partnerCenter: upstream },
  };
}
