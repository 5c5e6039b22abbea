import type { CallContext } from '../domain/ports.js';
import { describeError } from '../logging/redact.js';
import type { RefreshDeps } from './refresh-customer.js';

/** Writes of a run unsettled at most; beyond, workers wait for storage to catch up. */
const MAX_UNSETTLED_WRITES = 1_000;

/**
 * A refresh run's writes in flight: its work-index writes (touches and removals) and its view
 * writes, settling while the workers go on, most of them held back and sent in transactions. A
 * failed one is logged, and the customer stays. The run ends once all have settled.
 */
export class RunWrites {
  private readonly pending = new Set<Promise<void>>();
  /** Workers waiting for room; woken when a write settles below the limit. */
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly call: CallContext) {}

  /**
   * Waits while too many writes are unsettled, so that a run that outpaces its storage does not
   * hold ever more of them; what the index holds back is sent meanwhile.
   */
  async room(deps: RefreshDeps): Promise<void> {
    while (this.pending.size >= MAX_UNSETTLED_WRITES) {
      void flushHeld(deps);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  add(write: Promise<void>): void {
    const tracked: Promise<void> = write
      .catch((error: unknown) => {
        this.call.logger.warn(
          'Could not record a check in the work index; checked again next run',
          {
            error: describeError(error),
          },
        );
      })
      .finally(() => {
        this.pending.delete(tracked);
        if (this.pending.size < MAX_UNSETTLED_WRITES)
          for (const wake of this.waiting.splice(0)) wake();
      });
    this.pending.add(tracked);
  }

  /**
   * Resolves once every write has settled. A write may add another as it settles (a customer
   * leaves the index once its view's writes are out): what those hold is sent in turn.
   */
  async settle(deps: RefreshDeps): Promise<void> {
    while (this.pending.size > 0) {
      await flushHeld(deps);
      await Promise.all([...this.pending]);
    }
  }
}

/** Sends what the work index and the view hold back; a failed write settles (and is logged) as its own. */
async function flushHeld(deps: RefreshDeps): Promise<void> {
  await Promise.all([
    deps.workIndex.flush().catch(() => undefined),
    deps.projection?.flush().catch(() => undefined),
  ]);
}
