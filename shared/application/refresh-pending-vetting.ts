import { needsAttention, needsUpstream, type CustomerRecord } from '../domain/customer-record.js';
import type { CallContext, Clock, PartnerCenter, WorkItem } from '../domain/ports.js';
import type { UpstreamFailure } from '../domain/upstream.js';
import { describeError } from '../logging/redact.js';
import { leftBehind } from '../domain/outbox.js';
import {
  publishEvents,
  updateRecord,
  type LedgerDeps,
  type LedgerRecord,
} from './customer-ledger.js';
import { applyObservation } from './apply-observation.js';

export interface RefreshDeps extends LedgerDeps {
  readonly partnerCenter: PartnerCenter;
}

export interface RefreshLimits {
  /** Wall-clock budget of one run, well inside the function timeout. */
  readonly budgetMs: number;
  /** Partner Center calls at most per run. */
  readonly maxCalls: number;
  /** Customers checked at once. */
  readonly concurrency: number;
}

export interface RefreshReport {
  indexed: number;
  checked: number;
  changed: number;
  cleared: number;
  throttled: number;
  failed: number;
  /** Indexed customers this run did not reach; first in line next run. */
  deferred: number;
  durationMs: number;
  stoppedBy: 'done' | 'budget' | 'call-cap' | 'throttled';
}

/**
 * One run of the vetting refresh: every customer in the work index is checked at most once,
 * least recently checked first, so that what one run cannot reach is first in line next run.
 * A 429 pauses every worker for its Retry-After (or ends the run if that does not fit the budget).
 */
export async function refreshPendingVetting(
  deps: RefreshDeps,
  limits: RefreshLimits,
  call: CallContext,
): Promise<RefreshReport> {
  const now = (): number => deps.clock.now().getTime();
  const started = now();
  const deadline = started + limits.budgetMs;
  const report: RefreshReport = {
    indexed: 0,
    checked: 0,
    changed: 0,
    cleared: 0,
    throttled: 0,
    failed: 0,
    deferred: 0,
    durationMs: 0,
    stoppedBy: 'done',
  };
  const items: WorkItem[] = [];
  for await (const page of deps.workIndex.list()) items.push(...page);
  report.indexed = items.length;
  items.sort((a, b) => (a.lastCheckedAt?.getTime() ?? 0) - (b.lastCheckedAt?.getTime() ?? 0));

  let next = 0;
  let calls = 0;
  let notAsked = 0;
  const pause = new ThrottlePause(deps.clock);
  const stop = (reason: RefreshReport['stoppedBy']): void => {
    if (report.stoppedBy === 'done') report.stoppedBy = reason;
  };
  const upstreamCall: CallContext = { ...call, waitOnThrottle: false };
  // Checked right before each Partner Center call, not only between customers: a worker that
  // was busy with storage when a 429 came must not call during the pause either.
  const mayCall = async (): Promise<boolean> => {
    if (!(await pause.wait(deadline))) {
      stop('throttled');
      return false;
    }
    // The customer's storage reads took time too: no call starts past the budget.
    if (now() >= deadline) {
      stop('budget');
      return false;
    }
    return true;
  };

  const worker = async (): Promise<void> => {
    while (report.stoppedBy === 'done' && next < items.length) {
      if (now() >= deadline) {
        stop('budget');
        return;
      }
      if (calls >= limits.maxCalls) {
        stop('call-cap');
        return;
      }
      const item = items[next++];
      if (item === undefined) return;
      // The call is reserved before the first await, so that concurrent workers never pass the
      // cap together; it is given back if this customer needed no call.
      calls++;
      const outcome = await refreshOne(deps, item, upstreamCall, mayCall);
      if (!outcome.called) calls--;
      switch (outcome.kind) {
        case 'throttled':
          report.throttled++;
          // Left untouched: it stays first in line for the next run (one question per run).
          pause.extend(outcome.retryAfterSeconds);
          break;
        case 'not-asked':
          notAsked++;
          break;
        case 'failed':
          report.failed++;
          report.checked++;
          break;
        case 'checked':
          report.checked++;
          report.changed += outcome.changes;
          if (outcome.cleared) report.cleared++;
          break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));
  report.deferred = items.length - Math.min(next, items.length) + report.throttled + notAsked;
  report.durationMs = now() - started;
  return report;
}

type ItemOutcome = { readonly called: boolean } & (
  | { readonly kind: 'checked'; readonly changes: number; readonly cleared: boolean }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number }
  | { readonly kind: 'not-asked' }
  | { readonly kind: 'failed' }
);

async function refreshOne(
  deps: RefreshDeps,
  item: WorkItem,
  call: CallContext,
  mayCall: () => Promise<boolean>,
): Promise<ItemOutcome> {
  const { customerId } = item;
  let called = false;
  try {
    const stored = await deps.store.get(customerId);
    // What the update starts from, without reading the record again.
    let known: LedgerRecord | undefined = stored;
    if (stored !== undefined && stored.value.unpublishedEvents.length > 0) {
      const which = leftBehind(deps.clock.now());
      known = await publishEvents(deps, stored, call, which, 'relay');
    }
    let record = known?.value;
    let changes = 0;
    if (record !== undefined && needsUpstream(record)) {
      if (!(await mayCall())) return { called, kind: 'not-asked' };
      called = true;
      const askedAt = deps.clock.now();
      const upstream = await deps.partnerCenter.getQualifications(customerId, call);
      if (!upstream.ok) {
        if (upstream.failure.kind === 'throttled') {
          const { retryAfterSeconds } = upstream.failure;
          return { called, kind: 'throttled', retryAfterSeconds };
        }
        call.logger.warn('Refresh of a pending customer failed', {
          customerId,
          failure: upstream.failure.kind,
        });
        const refusals = isPermanentRefusal(upstream.failure) ? item.refusals + 1 : 0;
        if (refusals >= MAX_REFUSALS) {
          // Logged once, here: the customer is not polled again until something marks it.
          call.logger.warn('Partner Center keeps refusing this customer; no longer polled', {
            customerId,
            status: upstream.failure.kind === 'rejected' ? upstream.failure.status : undefined,
            refusals,
          });
          await deps.workIndex.remove(item);
        } else {
          await deps.workIndex.touch(item, deps.clock.now(), refusals);
        }
        return { called, kind: 'failed' };
      }
      const before = record;
      known = await updateRecord(
        deps,
        customerId,
        applyObservation(upstream.value, askedAt, 'refresh'),
        call,
        known,
      );
      record = known.value;
      changes = countChanges(before, record);
    }
    if (record === undefined || !needsAttention(record)) {
      const cleared = await deps.workIndex.remove(item);
      if (cleared && record !== undefined) await repairView(deps, record, call);
      return { called, kind: 'checked', changes, cleared };
    }
    await deps.workIndex.touch(item, deps.clock.now());
    return { called, kind: 'checked', changes, cleared: false };
  } catch (error) {
    call.logger.error('Refresh of a pending customer failed unexpectedly', {
      customerId,
      error: describeError(error),
    });
    // To the back of the line: one customer that keeps failing never holds up the others.
    await deps.workIndex.touch(item, deps.clock.now()).catch(() => undefined);
    return { called, kind: 'failed' };
  }
}

/** Runs in a row in which Partner Center refused a customer for good before the timer lets it go. */
export const MAX_REFUSALS = 3;

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

/** Partner Center's Retry-After, shared by all workers of a run. */
class ThrottlePause {
  private resumeAt = 0;

  constructor(private readonly clock: Clock) {}

  extend(seconds: number): void {
    this.resumeAt = Math.max(this.resumeAt, this.now() + seconds * 1000);
  }

  /** Waits out the pause; false when it lasts beyond `deadline`. */
  async wait(deadline: number): Promise<boolean> {
    while (this.resumeAt > this.now()) {
      if (this.resumeAt >= deadline) return false;
      await delay(this.resumeAt - this.now());
    }
    return true;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function countChanges(before: CustomerRecord, after: CustomerRecord): number {
  const statusOf = (record: CustomerRecord, name: string) =>
    record.qualifications?.find((q) => q.qualification === name)?.vettingStatus;
  return (after.qualifications ?? []).filter(
    (q) => q.vettingStatus !== undefined && statusOf(before, q.qualification) !== q.vettingStatus,
  ).length;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
