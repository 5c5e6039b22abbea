import type { CustomerId } from '../domain/customer-id.js';
import { ageInSeconds, type CustomerQualifications } from '../domain/customer-qualifications.js';
import type { CallContext, Clock, PartnerCenter, QualificationStore } from '../domain/ports.js';
import { isUnavailability, type UpstreamFailure } from '../domain/upstream.js';

export interface GetCustomerQualificationsDeps {
  readonly partnerCenter: PartnerCenter;
  readonly store: QualificationStore;
  readonly clock: Clock;
  readonly cacheMaxAgeSeconds: number;
}

export interface GetCustomerQualificationsInput {
  readonly customerId: CustomerId;
  /** Read Partner Center even when the cached copy is young enough. */
  readonly refresh: boolean;
}

export type GetCustomerQualificationsOutcome =
  | {
      readonly kind: 'found';
      readonly snapshot: CustomerQualifications;
      readonly source: 'cache' | 'partner-center';
      readonly stale: boolean;
    }
  | { readonly kind: 'upstream-failed'; readonly failure: UpstreamFailure };

/** Cache-aside read of one customer's qualifications, falling back to a stale copy. */
export async function getCustomerQualifications(
  deps: GetCustomerQualificationsDeps,
  input: GetCustomerQualificationsInput,
  call: CallContext,
): Promise<GetCustomerQualificationsOutcome> {
  const cached = await deps.store.get(input.customerId);
  const now = deps.clock.now();
  if (
    cached !== undefined &&
    !input.refresh &&
    ageInSeconds(cached.value, now) < deps.cacheMaxAgeSeconds
  ) {
    return { kind: 'found', snapshot: cached.value, source: 'cache', stale: false };
  }

  const upstream = await deps.partnerCenter.getQualifications(input.customerId, call);
  if (!upstream.ok) {
    if (cached !== undefined && isUnavailability(upstream.failure)) {
      call.logger.warn('Partner Center unavailable; serving the cached copy', {
        failure: upstream.failure.kind,
        lastSyncedAt: cached.value.lastSyncedAt.toISOString(),
      });
      return { kind: 'found', snapshot: cached.value, source: 'cache', stale: true };
    }
    return { kind: 'upstream-failed', failure: upstream.failure };
  }

  const snapshot: CustomerQualifications = {
    customerId: input.customerId,
    qualifications: upstream.value,
    lastSyncedAt: deps.clock.now(),
  };
  await storeLatest(deps.store, snapshot, cached?.etag, call);
  return { kind: 'found', snapshot, source: 'partner-center', stale: false };
}

/**
 * Writes what Partner Center just said unless a newer observation was stored meanwhile.
 * A lost race re-reads and tries again with the fresh ETag; never a blind overwrite.
 */
async function storeLatest(
  store: QualificationStore,
  snapshot: CustomerQualifications,
  etag: string | undefined,
  call: CallContext,
): Promise<void> {
  let expected = etag;
  for (let attempt = 0; attempt < 3; attempt++) {
    const saved = await store.save(snapshot, expected);
    if (saved.ok) return;
    const current = await store.get(snapshot.customerId);
    if (current !== undefined && current.value.lastSyncedAt >= snapshot.lastSyncedAt) return;
    expected = current?.etag;
  }
  call.logger.warn('Cached qualifications not updated: concurrent writers kept winning', {
    customerId: snapshot.customerId,
  });
}
