import type { CustomerStore, EventDelivery, PartnerCenter } from '../domain/ports.js';
import type { PartnerCenterHealth } from '../domain/upstream.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../logging/redact.js';

export type CheckStatus = 'ok' | 'fail';
export interface HealthReport {
  /**
   * `ok`: everything works. `degraded`: reads are served but something else is not (submissions,
   * when the App+User identity cannot get a token; change events, held back while a sink keeps
   * failing). `fail`: reads cannot be served.
   */
  readonly status: 'ok' | 'degraded' | 'fail';
  readonly checks: { readonly storage: CheckStatus } & PartnerCenterHealth & {
      readonly events: CheckStatus;
    };
}

/**
 * Storage is probed with one cheap read. Partner Center, each identity and the event sinks are
 * judged by what recent calls saw (circuit breakers, last token request), not called: probing
 * Partner Center every few seconds would spend the partner's throttling budget.
 */
export async function checkHealth(
  store: CustomerStore,
  partnerCenter: PartnerCenter,
  publisher: EventDelivery,
  logger: Logger,
): Promise<HealthReport> {
  const storage: CheckStatus = await store.ping().then(
    () => 'ok' as const,
    (error: unknown) => {
      logger.error('Health check: storage failed', { error: describeError(error) });
      return 'fail' as const;
    },
  );
  const upstream = partnerCenter.health();
  const readsServed =
    storage === 'ok' && upstream.partnerCenter === 'ok' && upstream.appOnlyCredential === 'ok';
  const events = publisher.health();
  const status = !readsServed
    ? 'fail'
    : upstream.appUserCredential === 'fail' || events === 'fail'
      ? 'degraded'
      : 'ok';
  return { status, checks: { storage, ...upstream, events } };
}
