import type { CallContext, WorkItem } from '../domain/ports.js';
import { refreshCustomer, type RefreshDeps, type RefreshRun } from './refresh-customer.js';
import { CallPacer } from './call-pacer.js';
import { RunWrites } from './run-writes.js';
import { ThrottlePause } from './throttle-pause.js';

export { MAX_REFUSALS, type RefreshDeps } from './refresh-customer.js';

export interface RefreshLimits {
  /** Wall-clock budget of one run, well inside the function timeout. */
  readonly budgetMs: number;
  /** Partner Center calls at most per run. */
  readonly maxCalls: number;
  /** Customers checked at once. */
  readonly concurrency: number;
}

export interface RefreshReport {
  /** Customers the run listed: it lists the index a page at a time, as far as it gets. */
  indexed: number;
  checked: number;
  changed: number;
  cleared: number;
  throttled: number;
  failed: number;
  /** Listed customers this run did not reach; first in line next run. */
  deferred: number;
  durationMs: number;
  stoppedBy: 'done' | 'budget' | 'call-cap' | 'throttled';
}

/**
 * One run of the vetting refresh: every customer in the work index is checked at most once,
 * least recently checked first, so that what one run cannot reach is first in line next run.
 * The index is read in that order a page at a time, so a run holds a few pages, never the whole
 * index. A 429 pauses every worker for its Retry-After (or ends the run if that does not fit the
 * budget), and paces the calls after it (`CallPacer`). Work-index writes settle while the workers go on; the run ends when all have.
 */
export async function refreshPendingVetting(
  deps: RefreshDeps,
  limits: RefreshLimits,
  call: CallContext,
): Promise<RefreshReport> {
  const now = (): number => deps.clock.now().getTime();
  const startedAt = deps.clock.now();
  const started = startedAt.getTime();
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
  const stop = (reason: RefreshReport['stoppedBy']): void => {
    if (report.stoppedBy === 'done') report.stoppedBy = reason;
  };
  const pause = new ThrottlePause(deps.clock);
  const pacer = pacerFor(deps);
  const writes = new RunWrites(call);
  const run: RefreshRun = {
    deps,
    call: { ...call, waitOnThrottle: false },
    startedAt,
    // Checked right before each Partner Center call, not only between customers: a worker that
    // was busy with storage when a 429 came must not call during the pause either.
    mayCall: async () => {
      // The pace is kept first, then any pause a 429 started meanwhile is waited out.
      const paced = await pacer.take(deadline);
      if (!(await pause.wait(deadline))) {
        stop('throttled');
        return false;
      }
      // The customer's storage reads took time too: no call starts past the budget.
      if (!paced || now() >= deadline) {
        stop('budget');
        return false;
      }
      return true;
    },
    after: (write) => {
      writes.add(write);
    },
    cleared: () => {
      report.cleared++;
    },
  };

  const queue = new ListedQueue(deps.workIndex.list(startedAt), (count) => {
    report.indexed += count;
  });
  let calls = 0;
  let notAsked = 0;
  const worker = async (): Promise<void> => {
    while (report.stoppedBy === 'done') {
      if (now() >= deadline) {
        stop('budget');
        return;
      }
      if (calls >= limits.maxCalls) {
        stop('call-cap');
        return;
      }
      await writes.room(deps);
      // The call is reserved before the next await, so that concurrent workers never pass the
      // cap together; it is given back if this customer needed no call.
      calls++;
      const item = await queue.next();
      if (item === undefined) {
        calls--;
        return;
      }
      const outcome = await refreshCustomer(run, item);
      if (!outcome.called) calls--;
      else if (outcome.kind !== 'throttled') pacer.answered();
      switch (outcome.kind) {
        case 'throttled':
          report.throttled++;
          pause.extend(outcome.retryAfterSeconds);
          pacer.throttled();
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
          break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, limits.concurrency) }, worker));
  } finally {
    await writes.settle(deps);
  }
  report.deferred = queue.waiting() + report.throttled + notAsked;
  report.durationMs = now() - started;
  return report;
}

/**
 * What Partner Center let through is the partner's limit, not one run's: the pace learned by a
 * run carries over to the next ones of this process, so that each run does not meet the limit
 * anew. One per Partner Center client.
 */
const pacers = new WeakMap<RefreshDeps['partnerCenter'], CallPacer>();

function pacerFor(deps: RefreshDeps): CallPacer {
  let pacer = pacers.get(deps.partnerCenter);
  if (pacer === undefined) {
    pacer = new CallPacer(deps.clock);
    pacers.set(deps.partnerCenter, pacer);
  }
  return pacer;
}

/** The listing's items one at a time, for workers that take turns; a page is read when needed. */
class ListedQueue {
  private readonly pages: AsyncIterator<WorkItem[]>;
  private page: WorkItem[] = [];
  private reading: Promise<boolean> | undefined;

  constructor(
    listing: AsyncIterable<WorkItem[]>,
    private readonly listed: (count: number) => void,
  ) {
    this.pages = listing[Symbol.asyncIterator]();
  }

  async next(): Promise<WorkItem | undefined> {
    while (this.page.length === 0) {
      // One read at a time: workers that find the page empty wait for the same next page.
      this.reading ??= this.readPage().finally(() => (this.reading = undefined));
      if (!(await this.reading)) return undefined;
    }
    return this.page.shift();
  }

  /** Listed and not taken. */
  waiting(): number {
    return this.page.length;
  }

  private async readPage(): Promise<boolean> {
    const next = await this.pages.next();
    if (next.done === true) return false;
    this.page.push(...next.value);
    this.listed(next.value.length);
    return true;
  }
}
