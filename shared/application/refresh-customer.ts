import { needsAttention, needsUpstream, type CustomerRecord } from '../domain/customer-record.js';
import type { CallContext, PartnerCenter, WorkItem } from '../domain/ports.js';
import type { UpstreamFailure } from '../domain/upstream.js';
import { leftBehind } from '../domain/outbox.js';
import { describeError } from '../logging/redact.js';
import {
  publishEvents,
  updateRecord,
  type LedgerDeps,
  type LedgerRecord,
} from './customer-ledger.js';
import { applyObservation } from './apply-observation.js';
import { ViewWatch } from './view-watch.js';

export interface RefreshDeps extends LedgerDeps {
  readonly partnerCenter: PartnerCenter;
}

/** What one refresh run hands each customer's check. */
export interface RefreshRun {
  readonly deps: RefreshDeps;
  /** The run's call context; a 429 is not waited out inside the call. */
  readonly call: CallContext;
  /** A record synced since needs no call this run; what the run touches sorts after it. */
  readonly startedAt: Date;
  /** Checked right before each Partner Center call: false when the run must not call now. */
  readonly mayCall: () => Promise<boolean>;
  /** Takes a write of the check (work index, view), which settles while the worker goes on. */
  readonly after: (write: Promise<void>) => void;
  /** Told when a customer has left the index. */
  readonly cleared: () => void;
}

export type CheckOutcome = { readonly called: boolean } & (
  | { readonly kind: 'checked'; readonly changes: number }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  | { readonly kind: 'not-asked' }
  | { readonly kind: 'failed' }
);

/** Runs in a row in which Partner Center refused a customer for good before the timer lets it go. */
export const MAX_REFUSALS = 3;

/**
 * One customer's check: its record read once (the relay of left-behind events and the update
 * start from it), Partner Center asked if the record needs it, the answer stored through the
 * ledger; then the customer leaves the index, or goes to the back of the line.
 */
export async function refreshCustomer(run: RefreshRun, item: WorkItem): Promise<CheckOutcome> {
  const { deps, call } = run;
  const { customerId } = item;
  const view = new ViewWatch(deps.projection, run);
  const ledger: RefreshDeps = { ...deps, projection: view.projection };
  let called = false;
  try {
    const stored = await deps.store.get(customerId);
    let known: LedgerRecord | undefined = stored;
    if (stored !== undefined && stored.value.unpublishedEvents.length > 0) {
      const which = leftBehind(deps.clock.now());
      known = await publishEvents(ledger, stored, call, which, 'relay');
    }
    let record = known?.value;
    let changes = 0;
    if (record !== undefined && needsUpstream(record) && !syncedSince(record, run.startedAt)) {
      if (!(await run.mayCall())) return { called, kind: 'not-asked' };
      called = true;
      const askedAt = deps.clock.now();
      const upstream = await deps.partnerCenter.getQualifications(customerId, call);
      if (!upstream.ok) return { called, ...refused(run, item, upstream.failure) };
      const before = record;
      const observed = applyObservation(upstream.value, askedAt, 'refresh');
      known = await updateRecord(ledger, customerId, observed, call, known);
      record = known.value;
      changes = countChanges(before, record);
    }
    if (record === undefined || !needsAttention(record)) {
      letGo(run, item, view, record);
    } else {
      run.after(deps.workIndex.touch(item, run.startedAt));
    }
    return { called, kind: 'checked', changes };
  } catch (error) {
    call.logger.error('Refresh of a pending customer failed unexpectedly', {
      customerId,
      error: describeError(error),
    });
    // To the back of the line: one customer that keeps failing never holds up the others.
    run.after(deps.workIndex.touch(item, run.startedAt));
    return { called, kind: 'failed' };
  }
}

/** Partner Center did not answer: a 429 pauses the run; a refusal is counted. */
function refused(
  run: RefreshRun,
  item: WorkItem,
  failure: UpstreamFailure,
): { kind: 'throttled'; retryAfterSeconds: number } | { kind: 'failed' } {
  const { deps, call } = run;
  const { customerId } = item;
  if (failure.kind === 'throttled') {
    // Left untouched: it stays first in line for the next run (one question per run).
    return { kind: 'throttled', retryAfterSeconds: failure.retryAfterSeconds };
  }
  call.logger.warn('Refresh of a pending customer failed', { customerId, failure: failure.kind });
  const refusals = isPermanentRefusal(failure) ? item.refusals + 1 : 0;
  if (refusals >= MAX_REFUSALS) {
    // Logged once, here: the customer is not polled again until something marks it.
    call.logger.warn('Partner Center keeps refusing this customer; no longer polled', {
      customerId,
      status: failure.kind === 'rejected' ? failure.status : undefined,
      refusals,
    });
    run.after(deps.workIndex.remove(item).then(() => undefined));
  } else {
    run.after(deps.workIndex.touch(item, run.startedAt, refusals));
  }
  return { kind: 'failed' };
}

/**
 * The customer is gone (404), or the partner has no commerce relationship with it any more
 * (403, code 20002): asking again will not help. Other 403s may be the gateway's own
 * credentials, which must never make the timer drop customers.
 */
function isPermanentRefusal(failure: UpstreamFailure): boolean {
  if (failure.kind !== 'rejected') return false;
  return failure.status === 404 || (failure.status === 403 && String(failure.code) === '20002');
}

/**
 * Read from Partner Center since the run started (by a live read, or by this run for a customer
 * listed twice): no second question this run.
 */
function syncedSince(record: CustomerRecord, startedAt: Date): boolean {
  return record.lastSyncedAt !== undefined && record.lastSyncedAt >= startedAt;
}

/**
 * The customer leaves the index, once the check's view writes have settled (a customer gone from
 * the index with its view's writes lost in a crash would never be repaired); then its view is
 * made exact, unless the check's own status change already did.
 */
function letGo(
  run: RefreshRun,
  item: WorkItem,
  view: ViewWatch,
  last: CustomerRecord | undefined,
): void {
  const { deps, call } = run;
  const leave = async (): Promise<void> => {
    if (!(await deps.workIndex.remove(item))) return;
    run.cleared();
    if (last !== undefined && !view.isExactFor(last)) await repairView(deps, last, call);
  };
  // The removal is a write of its own: the run sends what it holds once the view's have settled.
  run.after(
    view.settled().then(() => {
      run.after(leave());
    }),
  );
}

/**
 * A customer leaving the index has its by-status view rows made exact once: a row left behind
 * by a projection that failed, crashed or ran out of order goes here.
 */
async function repairView(
  deps: RefreshDeps,
  record: CustomerRecord,
  call: CallContext,
): Promise<void> {
  try {
    await deps.projection?.repair(record);
  } catch (error) {
    call.logger.warn('Could not repair the by-status view; tried again next run', {
      customerId: record.customerId,
      error: describeError(error),
    });
    await deps.workIndex.mark(record.customerId).catch(() => undefined);
  }
}

function countChanges(before: CustomerRecord, after: CustomerRecord): number {
  const statusOf = (record: CustomerRecord, name: string) =>
    record.qualifications?.find((q) => q.qualification === name)?.vettingStatus;
  return (after.qualifications ?? []).filter(
    (q) => q.vettingStatus !== undefined && statusOf(before, q.qualification) !== q.vettingStatus,
  ).length;
}
