import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerQualifications } from '../domain/customer-qualifications.js';
import { emptyRecord, type CustomerRecord } from '../domain/customer-record.js';
import type { CallContext, PartnerCenter, Stored } from '../domain/ports.js';
import { isUnavailability, type UpstreamFailure } from '../domain/upstream.js';
import { describeError } from '../logging/redact.js';
import { observe, updateRecord, type LedgerDeps } from './customer-ledger.js';

export interface GetCustomerQualificationsDeps extends LedgerDeps {
  readonly partnerCenter: PartnerCenter;
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

/**
 * Cache-aside read of one customer's qualifications. A young copy is served as it is; otherwise
 * Partner Center is read and the answer recorded (status changes included); when Partner Center
 * is unavailable the last known copy is served as stale. A customer with a submission in flight
 * is always read live, which also settles that submission.
 */
export async function getCustomerQualifications(
  deps: GetCustomerQualificationsDeps,
  input: GetCustomerQualificationsInput,
  call: CallContext,
): Promise<GetCustomerQualificationsOutcome> {
  const cached = await readCache(deps, input.customerId, call);
  const stored = cached === 'unavailable' ? undefined : cached;
  const known = synced(stored?.value);
  if (
    known !== undefined &&
    !input.refresh &&
    isYoung(known, deps) &&
    stored?.value.openSubmissions.length === 0
  ) {
    return { kind: 'found', snapshot: known, source: 'cache', stale: false };
  }

  const askedAt = deps.clock.now();
  const upstream = await deps.partnerCenter.getQualifications(input.customerId, call);
  if (!upstream.ok) {
    if (known && isUnavailability(upstream.failure)) {
      call.logger.warn('Partner Center unavailable; serving the cached copy', {
        failure: upstream.failure.kind,
        lastSyncedAt: known.lastSyncedAt.toISOString(),
      });
      return { kind: 'found', snapshot: known, source: 'cache', stale: true };
    }
    return { kind: 'upstream-failed', failure: upstream.failure };
  }

  const live: CustomerQualifications = {
    customerId: input.customerId,
    qualifications: upstream.value,
    lastSyncedAt: askedAt,
  };
  if (cached === 'unavailable')
    return { kind: 'found', snapshot: live, source: 'partner-center', stale: false };
  try {
    const { value: record } = await updateRecord(
      deps,
      input.customerId,
      observe(upstream.value, askedAt, 'read', call),
      call,
      // Already read: a customer the store does not hold yet is not read for again.
      stored ?? { value: emptyRecord(input.customerId), etag: undefined },
    );
    return {
      kind: 'found',
      snapshot: synced(record) ?? live,
      source: 'partner-center',
      stale: false,
    };
  } catch (error) {
    // The caller still gets Partner Center's answer; the cache catches up on the next read.
    call.logger.error('Could not record the qualifications read from Partner Center', {
      customerId: input.customerId,
      error: describeError(error),
    });
    return { kind: 'found', snapshot: live, source: 'partner-center', stale: false };
  }
}

async function readCache(
  deps: GetCustomerQualificationsDeps,
  customerId: CustomerId,
  call: CallContext,
): Promise<Stored<CustomerRecord> | undefined | 'unavailable'> {
  try {
    return await deps.store.get(customerId);
  } catch (error) {
    call.logger.error('Cache unavailable; reading Partner Center live', {
      customerId,
      error: describeError(error),
    });
    return 'unavailable';
  }
}

function synced(record: CustomerRecord | undefined): CustomerQualifications | undefined {
  if (record?.qualifications === undefined || record.lastSyncedAt === undefined) return undefined;
  return {
    customerId: record.customerId,
    qualifications: record.qualifications,
    lastSyncedAt: record.lastSyncedAt,
  };
}

function isYoung(snapshot: CustomerQualifications, deps: GetCustomerQualificationsDeps): boolean {
  const ageSeconds = (deps.clock.now().getTime() - snapshot.lastSyncedAt.getTime()) / 1000;
  return ageSeconds < deps.cacheMaxAgeSeconds;
}
