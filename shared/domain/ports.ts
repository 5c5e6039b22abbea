import type { Logger } from '../logging/logger.js';
import type { CustomerId } from './customer-id.js';
import type { CustomerRecord } from './customer-record.js';
import type { Qualification } from './qualification.js';
import type { QualificationRequest } from './qualification-request.js';
import type { ChangeTrigger, OutboxEvent, QualificationEvent } from './qualification-event.js';
import type { PartnerCenterHealth, UpstreamResult } from './upstream.js';
import type { ValidationCode } from './validation-code.js';

/** What ties one call to the invocation that made it. */
export interface CallContext {
  readonly correlationId: string;
  /** Aborted when the caller gives up. */
  readonly signal?: AbortSignal;
  readonly logger: Logger;
  /** The caller's own bearer token, for On-Behalf-Of calls. */
  readonly callerToken?: string;
  /**
   * Whether a 429 may be waited out inside the call (default true). The timer says false: it
   * pauses all of its workers instead of letting one wait while the others keep calling.
   */
  readonly waitOnThrottle?: boolean;
}

export interface PartnerCenter {
  getQualifications(
    customerId: CustomerId,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification[]>>;
  /**
   * Starts vetting (App+User identity). `requestId` is the MS-RequestId: the same value on every
   * retry, so that Partner Center applies the submission at most once.
   */
  createQualification(
    customerId: CustomerId,
    request: QualificationRequest,
    requestId: string,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification>>;
  listValidationCodes(call: CallContext): Promise<UpstreamResult<ValidationCode[]>>;
  /** Partner Center's and each identity's state, judged from recent calls (none is made). */
  health(): PartnerCenterHealth;
}

export interface Stored<T> {
  readonly value: T;
  readonly etag: string;
}

export type SaveResult = { readonly ok: true; readonly etag: string } | { readonly ok: false };

/** One line of a customer's status history. */
export interface HistoryEntry {
  readonly at: string;
  readonly qualification: string;
  readonly from: string | null;
  readonly to: string;
  readonly vettingReason?: string;
  readonly trigger: ChangeTrigger;
  readonly correlationId: string;
}

export interface CustomerStore {
  get(customerId: CustomerId): Promise<Stored<CustomerRecord> | undefined>;
  /**
   * Writes the record and appends the history entries in one transaction, only if the stored
   * record still has `expectedEtag` (or, when undefined, none is stored yet). `{ ok: false }`
   * means another writer got there first: re-read and decide again.
   */
  commit(
    record: CustomerRecord,
    expectedEtag: string | undefined,
    history: readonly HistoryEntry[],
  ): Promise<SaveResult>;
  /**
   * Writes only `record.lastSyncedAt` (one property merged into the stored record), only if the
   * stored record still has `expectedEtag`: what a read that found nothing new records. The
   * caller vouches that nothing else of the record changed.
   */
  commitFreshness(record: CustomerRecord, expectedEtag: string): Promise<SaveResult>;
  /** Newest first. */
  history(customerId: CustomerId, limit: number): Promise<HistoryEntry[]>;
  /** A cheap round trip, for the health check. */
  ping(): Promise<void>;
}

/** One row of the by-status view. */
export interface StatusIndexItem {
  readonly customerId: string;
  readonly qualification: string;
  readonly vettingStatus: string;
  readonly vettingCreateDate?: string;
  readonly lastSyncedAt: string;
}

export interface StatusIndexPage {
  readonly items: StatusIndexItem[];
  readonly continuationToken: string | null;
}

/** A page, or the caller's continuation token is not one this view handed out. */
export type StatusIndexListing =
  | { readonly ok: true; readonly page: StatusIndexPage }
  | { readonly ok: false; readonly reason: 'invalid-continuation-token' };

/** The by-status view, as `GET /qualifications` reads it. */
export interface StatusView {
  list(
    vettingStatus: string,
    qualification: string | undefined,
    pageSize: number,
    continuationToken: string | undefined,
  ): Promise<StatusIndexListing>;
}

/**
 * A read model kept in line with every committed record, best effort: a projection that fails
 * puts the customer in the work index, and the timer repairs the view when it lets the customer go.
 */
export interface RecordProjection {
  /**
   * After a commit that replaced `previous` with `next`. Where a vetting status changed
   * (`statusChanged`), the view is made exact for `next`, as `repair` would.
   */
  project(previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void>;
  /** Brings the view in line with `record` whatever it held before. */
  repair(record: CustomerRecord): Promise<void>;
  /**
   * A record whose lastSyncedAt alone moved: that time on the rows it has, never re-creating
   * one a status change removed meanwhile. May be held and sent with others' until `flush`.
   */
  projectSync(next: CustomerRecord): Promise<void>;
  /**
   * What `project` does for a status change, for the timer, whose checks share their writes:
   * may be held and sent with others' until `flush` (or a moment later). Resolves once all of
   * it has settled; rejects if any of it failed.
   */
  projectChange(previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void>;
  /** Sends what `projectSync` and `projectChange` hold; resolves once all of it has settled. */
  flush(): Promise<void>;
}

/**
 * The customers the refresh timer must look at: pending vetting, open submissions, unpublished
 * events. Writers mark; the timer lists, records each check and removes whom it lets go.
 */
export interface WorkIndex {
  /**
   * Idempotent. Called before a commit that leaves the customer needing attention; a mark
   * starts the count of refusals again and puts the customer first in line.
   */
  mark(customerId: CustomerId): Promise<void>;
  /**
   * In turn order, page by page as the caller goes: customers not checked since their mark
   * first, then the least recently checked. With `checkedBefore`, only those checked before it
   * (a run passes its start, so that what it touches does not come round again).
   */
  list(checkedBefore?: Date): AsyncIterable<WorkItem[]>;
  /**
   * Records the check, and the refusals in a row so far (0 after an answer): the customer goes
   * to the back of the line. May be held until `flush`; a concurrent mark wins.
   */
  touch(item: WorkItem, checkedAt: Date, refusals?: number): Promise<void>;
  /**
   * False when the entry changed since it was listed (a new mark): the customer stays. May be
   * held until `flush`.
   */
  remove(item: WorkItem): Promise<boolean>;
  /** Writes what `touch` and `remove` hold; their promises settle before it resolves. */
  flush(): Promise<void>;
}

/** One customer the timer has to look at, with what it needs to take turns fairly. */
export interface WorkItem {
  readonly customerId: CustomerId;
  readonly etag: string;
  readonly lastCheckedAt: Date | undefined;
  /** Partner Center's permanent refusals (404, 403) in a row since the customer was marked. */
  readonly refusals: number;
}

/** One destination that takes change events one at a time (the Storage queue). */
export interface EventPublisher {
  publish(event: QualificationEvent): Promise<void>;
}

/** One destination of change events, by name in `EVENT_SINKS`: the queue, an Event Grid topic. */
export interface EventSink {
  readonly name: string;
  /**
   * Sends the events; resolves with the ids the sink took: all of them, or, when it failed
   * part-way, those before the failure with `failure` saying why. Stops when `signal` aborts.
   */
  send(events: readonly QualificationEvent[], signal: AbortSignal): Promise<SinkResult>;
}

export interface SinkResult {
  readonly delivered: readonly string[];
  readonly failure?: unknown;
}

/**
 * `inline`: right after the write that recorded the events, on a caller's request path — a sink
 * whose circuit is open is skipped. `relay`: the timer takes over what was left behind — every
 * sink is tried, which is how a healed sink is noticed.
 */
export type DeliveryMode = 'inline' | 'relay';

/** Sends outbox events on to every configured sink. */
export interface EventDelivery {
  /** The sinks an event must reach before it leaves the outbox. */
  readonly sinks: readonly string[];
  /**
   * `fail` while a sink keeps failing (its circuit is open): requests skip it, and the events it
   * lacks wait in the outbox for the timer's relay, which keeps trying.
   */
  health(): 'ok' | 'fail';
  /**
   * Sends each event to each configured sink not in its `publishedTo`, in batches, within a
   * deadline. Never rejects: a sink that failed is logged and simply not added.
   */
  deliver(
    events: readonly OutboxEvent[],
    call: CallContext,
    mode: DeliveryMode,
  ): Promise<DeliveryOutcome>;
}

export interface DeliveryOutcome {
  /** Per event id, every sink that now has it (`publishedTo` included), in configured order. */
  readonly publishedTo: ReadonlyMap<string, readonly string[]>;
}

export interface Clock {
  now(): Date;
}
