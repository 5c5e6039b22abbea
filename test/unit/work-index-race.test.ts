import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { updateRecord, type LedgerDeps } from '../../shared/application/customer-ledger.js';
import { applyObservation } from '../../shared/application/apply-observation.js';
import { refreshPendingVetting } from '../../shared/application/refresh-pending-vetting.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import type { CustomerRecord } from '../../shared/domain/customer-record.js';
import type { CallContext, HistoryEntry, SaveResult } from '../../shared/domain/ports.js';
import type { Qualification } from '../../shared/domain/qualification.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { InMemoryCustomerStore } from './fakes/customer-store.js';
import { RecordingPublisher } from './fakes/event-publisher.js';
import { FakePartnerCenter } from './fakes/partner-center.js';
import { InMemoryWorkIndex } from './fakes/work-index.js';

const call: CallContext = { correlationId: 'race', logger: silentLogger };
const inReview: Qualification = { qualification: 'Education', vettingStatus: 'InReview' };

/** A store whose next commit waits until the test lets it through. */
class GatedStore extends InMemoryCustomerStore {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  holdNextCommit(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
  }

  override async commit(
    record: CustomerRecord,
    expectedEtag: string | undefined,
    history: readonly HistoryEntry[],
  ): Promise<SaveResult> {
    const gate = this.gate;
    this.gate = undefined;
    await gate;
    return super.commit(record, expectedEtag, history);
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('the work index under a timer run racing a first write', () => {
  it('keeps a customer whose mark the timer listed and removed before the write committed', async () => {
    // The interleaving: mark → timer lists (the mark's ETag) → timer
    // reads no record → timer removes the row → the write commits a record that needs attention.
    const store = new GatedStore();
    const workQueue = new InMemoryWorkIndex();
    const deps: LedgerDeps = {
      store,
      workIndex: workQueue,
      publisher: new RecordingPublisher(),
      clock: { now: () => new Date() },
      newId: randomUUID,
    };
    const customerId = randomUUID() as CustomerId;
    store.holdNextCommit();
    const firstRead = updateRecord(
      deps,
      customerId,
      applyObservation([inReview], new Date(), 'read'),
      call,
    );
    await until(() => workQueue.marked.includes(customerId));

    const report = await refreshPendingVetting(
      {
        ...deps,
        partnerCenter: new FakePartnerCenter({ answer: () => ({ ok: true, value: [inReview] }) }),
      },
      { budgetMs: 5_000, maxCalls: 10, concurrency: 1 },
      call,
    );
    expect(report.cleared).toBe(1); // the timer did remove the row it listed
    store.release();
    await firstRead;

    expect(store.peek(customerId)?.qualifications).toEqual([inReview]);
    expect(workQueue.has(customerId)).toBe(true);
  });
});
