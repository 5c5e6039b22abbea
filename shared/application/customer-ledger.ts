import type { CustomerId } from '../domain/customer-id.js';
import { emptyRecord, needsAttention, type CustomerRecord } from '../domain/customer-record.js';
import type {
  CallContext,
  Clock,
  CustomerStore,
  DeliveryMode,
  EventDelivery,
  HistoryEntry,
  RecordProjection,
  Stored,
  WorkIndex,
} from '../domain/ports.js';
import { qualificationEvent, type OutboxEvent } from '../domain/qualification-event.js';
import { afterDelivery } from '../domain/outbox.js';
import { TransientError } from '../domain/transient-error.js';
import { describeError } from '../logging/redact.js';
import { isFreshnessOnly, onlySyncMoved, type Decision } from './decision.js';

export interface LedgerDeps {
  readonly store: CustomerStore;
  readonly projection?: RecordProjection;
  readonly workIndex: WorkIndex;
  readonly publisher: EventDelivery;
  readonly clock: Clock;
  readonly newId: () => string;
}

/**
 * A customer record as the ledger last read or wrote it; `etag` is undefined when the store holds
 * no record of the customer. Handed to the next update, it spares that update a read: a record
 * changed meanwhile fails the ETag check and is read then.
 */
export interface LedgerRecord {
  readonly value: CustomerRecord;
  readonly etag: string | undefined;
}

/** Optimistic-concurrency retries before giving up on a hot record. */
const MAX_ATTEMPTS = 10;
/**
 * A writer that lost a race waits a random time below 10 ms × 2^(attempt − 1), at most 1 s
 * ("full jitter"): racing writers spread out however slow storage is, where a fixed step would
 * keep them colliding once a round trip takes longer than the step (under load: 20 writers on
 * one record gave up after 8 linear steps of 10 ms when a round trip took 20–60 ms).
 */
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 1_000;

/**
 * The one writer of customer records. Every change — a read, the timer, a submission — goes
 * through `update`: read the record, decide, write it back guarded by its ETag, and on a lost
 * race read again and decide again. Status changes get their history rows in the same
 * transaction and their events through the record's outbox.
 */
export async function updateRecord(
  deps: LedgerDeps,
  customerId: CustomerId,
  decide: (record: CustomerRecord) => Decision | undefined,
  call: CallContext,
  known?: LedgerRecord,
  options: UpdateOptions = {},
): Promise<LedgerRecord> {
  let current: Stored<CustomerRecord> | undefined =
    known?.etag === undefined ? undefined : { value: known.value, etag: known.etag };
  let fresh = known === undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (fresh) current = await deps.store.get(customerId);
    fresh = true;
    const record = current?.value ?? emptyRecord(customerId);
    const decision = decide(record);
    if (decision === undefined) return { value: record, etag: current?.etag };
    const now = deps.clock.now();
    const events = decision.changes.map(({ change, trigger }) =>
      qualificationEvent(customerId, change, deps.newId(), now, call.correlationId, trigger),
    );
    const next: CustomerRecord = {
      ...decision.record,
      unpublishedEvents: [...decision.record.unpublishedEvents, ...events],
    };
    // The index entry comes first: a crash after the commit must leave the customer findable.
    const nowNeedsAttention = needsAttention(next) && !needsAttention(record);
    if (nowNeedsAttention) await deps.workIndex.mark(customerId);
    const history: HistoryEntry[] = decision.changes.map(({ change, trigger }) => ({
      at: now.toISOString(),
      qualification: change.qualification,
      from: change.from,
      to: change.to,
      ...(change.vettingReason !== undefined && { vettingReason: change.vettingReason }),
      trigger,
      correlationId: call.correlationId,
    }));
    // A write that only refreshes lastSyncedAt projects alongside its commit (one round trip
    // off a live read): the view's rows then say what Partner Center said when it was asked,
    // true whether or not the commit wins. One that loses marks the customer, so that the timer
    // makes the view exact should a racing writer have changed a status meanwhile.
    const freshnessOnly = isFreshnessOnly(record, next, decision, nowNeedsAttention);
    // Only lastSyncedAt moved: that one property is written, not the whole record. The record's
    // write goes out first: where storage serves requests one at a time it is answered first.
    const write =
      freshnessOnly && current !== undefined && onlySyncMoved(record, next)
        ? deps.store.commitFreshness(next, current.etag)
        : deps.store.commit(next, current?.etag, history);
    const alongside = freshnessOnly ? project(deps, current?.value, next, call) : undefined;
    // A caller that asks not to wait for the view (a live read answering its caller) returns
    // once the record is written; the projection, already sent, finishes on its own (it never
    // rejects: a failure marks the customer for the timer to repair).
    const [saved] = await Promise.all([
      write,
      options.awaitFreshnessProjection === false ? undefined : alongside,
    ]);
    if (!saved.ok) {
      if (alongside !== undefined) {
        await alongside;
        await markAgain(deps, customerId, call);
      }
      // Writers racing for one record take turns instead of colliding again at once.
      const ceilingMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
      continue;
    }
    if (nowNeedsAttention) await markAgain(deps, customerId, call);
    if (
      alongside === undefined &&
      (next.qualifications !== record.qualifications || next.lastSyncedAt !== record.lastSyncedAt)
    ) {
      await project(deps, current?.value, next, call);
    }
    for (const warning of decision.warnings ?? []) {
      call.logger.warn(warning.message, warning.properties);
    }
    for (const { change, trigger } of decision.changes) {
      call.logger.info('Vetting status changed', {
        customerId,
        qualification: change.qualification,
        from: change.from,
        to: change.to,
        trigger,
      });
    }
    if (events.length === 0) return { value: next, etag: saved.etag };
    // Only this write's own events: others' are published by their writers, or by the timer
    // once they are old enough to have been left behind (publishing them here could double them).
    const own = new Set(events.map((e) => e.id));
    return publishEvents(
      deps,
      { value: next, etag: saved.etag },
      call,
      (e) => own.has(e.id),
      'inline',
    );
  }
  throw new TransientError(
    `Customer ${customerId} kept changing under ${MAX_ATTEMPTS} attempts to update it`,
    1,
  );
}

export interface UpdateOptions {
  /** Whether a freshness-only write waits for its view projection too; default true. */
  readonly awaitFreshnessProjection?: boolean;
}

/**
 * A timer run may have listed the first mark and, reading the record before this commit landed,
 * removed the entry. Marking again after the commit either re-creates the entry or changes its
 * ETag so that such a removal fails: a customer that needs attention stays findable.
 */
async function markAgain(
  deps: LedgerDeps,
  customerId: CustomerId,
  call: CallContext,
): Promise<void> {
  try {
    await deps.workIndex.mark(customerId);
  } catch (error) {
    // The first mark stands unless a timer run removed it in that very window.
    call.logger.warn('Could not mark the customer for the timer again after a write', {
      customerId,
      error: describeError(error),
    });
  }
}

async function project(
  deps: LedgerDeps,
  previous: CustomerRecord | undefined,
  next: CustomerRecord,
  call: CallContext,
): Promise<void> {
  try {
    await deps.projection?.project(previous, next);
  } catch (error) {
    call.logger.warn('Could not update the by-status view; the timer repairs it', {
      customerId: next.customerId,
      error: describeError(error),
    });
    // The timer repairs the view of every customer it lets go of.
    await markAgain(deps, next.customerId, call);
  }
}

/**
 * Sends events of the record's outbox to every configured sink, then records which sinks took
 * them (`afterDelivery`). A crash in between sends them again later: delivery is at least once,
 * and consumers dedupe by the event id.
 */
export async function publishEvents(
  deps: LedgerDeps,
  stored: Stored<CustomerRecord>,
  call: CallContext,
  which: (event: OutboxEvent) => boolean,
  mode: DeliveryMode,
): Promise<LedgerRecord> {
  const pending = stored.value.unpublishedEvents.filter(which);
  if (pending.length === 0) return stored;
  const { publishedTo } = await deps.publisher.deliver(pending, call, mode);
  return updateRecord(
    deps,
    stored.value.customerId,
    (record) => {
      const next = afterDelivery(record, publishedTo, deps.publisher.sinks);
      return next === undefined ? undefined : { record: next, changes: [] };
    },
    call,
    stored,
  );
}
