import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerQualifications } from '../domain/customer-qualifications.js';
import { emptyRecord, type CustomerRecord } from '../domain/customer-record.js';
import type { CallContext, PartnerCenter, Stored } from '../domain/ports.js';
import { isUnavailability, type UpstreamFailure } from '../domain/upstream.js';
import { describeError } from '../logging/redact.js';
import { updateRecord, type LedgerDeps } from './customer-ledger.js';
import { applyObservation } from './apply-observation.js';
import { confirmsRecentSync, type Decision } from './decision.js';
import type { RecentRecords } from './recent-records.js';
import { SingleFlight } from './single-flight.js';

export interface GetCustomerQualificationsDeps extends LedgerDeps {
  readonly partnerCenter: PartnerCenter;
  readonly cacheMaxAgeSeconds: number;
  /**
   * A live read that finds what the record already holds, this soon after its lastSyncedAt,
   * writes nothing (see confirmsRecentSync); 0: every live read writes its lastSyncedAt.
   */
  readonly syncWriteIntervalMs: number;
  /** Live reads in flight in this instance, shared by concurrent reads of the same customer. */
  readonly liveReads: SingleFlight<LiveRead>;
  /** This instance's recent copies of records (see RecentRecords); none: every read is a round trip. */
  readonly recentRecords?: RecentRecords;
}

/** What one live read of a customer came to, shared by every read that joined it. */
export type LiveRead =
  | { readonly ok: true; readonly snapshot: CustomerQualifications }
  | { readonly ok: false; readonly failure: UpstreamFailure };

/** One per instance: the reads it coalesces are those this instance serves. */
export function createLiveReads(): SingleFlight<LiveRead> {
  return new SingleFlight<LiveRead>();
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
  // A refresh reads storage (the copy its write is guarded by), once its Partner Center call
  // has gone out: the storage client's work to send the read then delays it no more. Any other
  // read may take this instance's recent copy, at once.
  const cachedRead = input.refresh
    ? afterThisTurn().then(() => readCache(deps, input.customerId, call, false))
    : readCache(deps, input.customerId, call, true);
  // Concurrent reads of this customer share one Partner Center call. A read that must see what
  // Partner Center says now (refresh=true, a submission to settle) waits for a call started
  // after it arrived; any other joins the call in flight. With refresh=true the answer comes
  // from Partner Center whatever the cache holds: the call starts at once and the cached copy
  // (needed to record the answer, or to serve if Partner Center is unavailable) is read meanwhile.
  let live = input.refresh
    ? deps.liveReads.run(
        input.customerId,
        () => readLive(deps, input.customerId, cachedRead, call),
        { joinRunning: false },
      )
    : undefined;
  const cached = await cachedRead;
  const stored = cached === 'unavailable' ? undefined : cached;
  const known = synced(stored?.value);
  if (live === undefined) {
    const openSubmissions = stored?.value.openSubmissions.length ?? 0;
    if (known !== undefined && isYoung(known, deps) && openSubmissions === 0) {
      return { kind: 'found', snapshot: known, source: 'cache', stale: false };
    }
    live = deps.liveReads.run(
      input.customerId,
      () => readLive(deps, input.customerId, cachedRead, call),
      { joinRunning: openSubmissions === 0 },
    );
  }
  const answer = await live;
  if (!answer.ok) {
    if (known && isUnavailability(answer.failure)) {
      call.logger.warn('Partner Center unavailable; serving the cached copy', {
        failure: answer.failure.kind,
        lastSyncedAt: known.lastSyncedAt.toISOString(),
      });
      return { kind: 'found', snapshot: known, source: 'cache', stale: true };
    }
    return { kind: 'upstream-failed', failure: answer.failure };
  }
  return { kind: 'found', snapshot: answer.snapshot, source: 'partner-center', stale: false };
}

/** Reads Partner Center and records what it said; the caller still gets it if recording fails. */
async function readLive(
  deps: GetCustomerQualificationsDeps,
  customerId: CustomerId,
  cachedRead: Promise<CachedCopy>,
  call: CallContext,
): Promise<LiveRead> {
  const askedAt = deps.clock.now();
  const upstream = await deps.partnerCenter.getQualifications(customerId, call);
  if (!upstream.ok) return upstream;
  // Read while Partner Center answered; a change since fails the ETag check and is read again.
  const cached = await cachedRead;
  const live: CustomerQualifications = {
    customerId,
    qualifications: upstream.value,
    lastSyncedAt: askedAt,
  };
  if (cached === 'unavailable') return { ok: true, snapshot: live };
  const observe = applyObservation(upstream.value, askedAt, 'read');
  // Decided again on a lost race: whether the read only confirmed is the last decision's.
  const last = { onlyConfirmed: false };
  const decide = (record: CustomerRecord): Decision | undefined => {
    const decision = observe(record);
    last.onlyConfirmed =
      decision !== undefined &&
      confirmsRecentSync(record, decision, askedAt, deps.syncWriteIntervalMs);
    return last.onlyConfirmed ? undefined : decision;
  };
  try {
    const { value: record } = await updateRecord(
      deps,
      customerId,
      decide,
      call,
      // Already read: a customer the store does not hold yet is not read for again.
      cached ?? { value: emptyRecord(customerId), etag: undefined },
      // The caller waits for the record, not for the by-status view's lastSyncedAt.
      { awaitFreshnessProjection: false },
    );
    return { ok: true, snapshot: last.onlyConfirmed ? live : (synced(record) ?? live) };
  } catch (error) {
    // The caller still gets Partner Center's answer; the cache catches up on the next read.
    call.logger.error('Could not record the qualifications read from Partner Center', {
      customerId,
      error: describeError(error),
    });
    return { ok: true, snapshot: live };
  }
}

/** Resolves once the work this turn of the event loop started has run as far as it can. */
function afterThisTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The stored record, none, or 'unavailable' when storage could not be read. */
type CachedCopy = Stored<CustomerRecord> | undefined | 'unavailable';

/** Never rejects: a storage failure is logged and answered 'unavailable'. */
async function readCache(
  deps: GetCustomerQualificationsDeps,
  customerId: CustomerId,
  call: CallContext,
  recentWillDo: boolean,
): Promise<CachedCopy> {
  const recent = recentWillDo ? deps.recentRecords?.get(customerId) : undefined;
  if (recent !== undefined) return recent;
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
