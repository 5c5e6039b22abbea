import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { updateRecord, type LedgerDeps } from '../../shared/application/customer-ledger.js';
import { applyObservation } from '../../shared/application/apply-observation.js';
import { refreshPendingVetting } from '../../shared/application/refresh-pending-vetting.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import type { CallContext, RecordProjection } from '../../shared/domain/ports.js';
import type { Qualification } from '../../shared/domain/qualification.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { InMemoryCustomerStore } from './fakes/customer-store.js';
import { RecordingPublisher } from './fakes/event-publisher.js';
import { FakePartnerCenter } from './fakes/partner-center.js';
import { InMemoryWorkIndex } from './fakes/work-index.js';

const call: CallContext = { correlationId: 'view', logger: silentLogger };

/** A projection that fails while told to, and records its repairs. */
class FlakyProjection implements RecordProjection {
  failing = false;
  readonly repaired: CustomerId[] = [];
  /** lastSyncedAt of every record projected. */
  readonly projected: (Date | undefined)[] = [];
  project(_previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void> {
    this.projected.push(next.lastSyncedAt);
    return this.failing ? Promise.reject(new Error('view unavailable')) : Promise.resolve();
  }
  repair(record: CustomerRecord): Promise<void> {
    this.repaired.push(record.customerId);
    return Promise.resolve();
  }
  /** lastSyncedAt of every record whose sync-only write was sent (by a flush). */
  readonly synced: (Date | undefined)[] = [];
  /** lastSyncedAt of every record whose status change was sent (by a flush). */
  readonly changed: (Date | undefined)[] = [];
  private readonly held: { at: Date | undefined; sent: () => void }[] = [];
  private readonly heldChanges: {
    at: Date | undefined;
    sent: () => void;
    failed: (e: Error) => void;
  }[] = [];
  /** Held until the next flush, as the table's projection holds it. */
  projectSync(next: CustomerRecord): Promise<void> {
    return new Promise((sent) => this.held.push({ at: next.lastSyncedAt, sent }));
  }
  /** Held until the next flush, which fails it while `failing`. */
  projectChange(_previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void> {
    return new Promise((sent, failed) =>
      this.heldChanges.push({ at: next.lastSyncedAt, sent, failed }),
    );
  }
  flush(): Promise<void> {
    for (const { at, sent } of this.held.splice(0)) {
      this.synced.push(at);
      sent();
    }
    for (const { at, sent, failed } of this.heldChanges.splice(0)) {
      if (this.failing) {
        failed(new Error('view unavailable'));
        continue;
      }
      this.changed.push(at);
      sent();
    }
    return Promise.resolve();
  }
}

function world(answer: Qualification[] = []) {
  const store = new InMemoryCustomerStore();
  const workQueue = new InMemoryWorkIndex();
  const projection = new FlakyProjection();
  const deps: LedgerDeps = {
    store,
    workIndex: workQueue,
    projection,
    publisher: new RecordingPublisher(),
    clock: { now: () => new Date() },
    newId: randomUUID,
  };
  const partnerCenter = new FakePartnerCenter({
    answer: () => ({ ok: true, value: answer }),
  });
  const run = () =>
    refreshPendingVetting(
      { ...deps, partnerCenter },
      { budgetMs: 5_000, maxCalls: 10, concurrency: 1 },
      call,
    );
  return { store, workQueue, projection, deps, partnerCenter, run };
}

describe('the by-status view, repaired through the work index', () => {
  it('a failed projection puts a settled customer in the index, and the timer repairs its view', async () => {
    const { workQueue, projection, deps, run } = world();
    const customerId = randomUUID() as CustomerId;
    projection.failing = true;
    await updateRecord(
      deps,
      customerId,
      applyObservation(
        [{ qualification: 'Education', vettingStatus: 'Approved' }],
        new Date(),
        'read',
      ),
      call,
    );
    expect(workQueue.has(customerId)).toBe(true);

    projection.failing = false;
    expect(await run()).toMatchObject({ cleared: 1 });
    expect(projection.repaired).toEqual([customerId]);
    expect(workQueue.has(customerId)).toBe(false);
  });

  it('the timer repairs the view of every customer it lets go of', async () => {
    const { store, workQueue, projection, run } = world();
    const customerId = randomUUID() as CustomerId;
    store.seed({
      ...emptyRecord(customerId),
      qualifications: [{ qualification: 'Education', vettingStatus: 'Denied' }],
      lastSyncedAt: new Date(),
    });
    workQueue.add(customerId);
    await run();
    expect(projection.repaired).toEqual([customerId]);
  });

  it('a write that only refreshes lastSyncedAt projects alongside its commit; losing the race marks the customer', async () => {
    const { store, workQueue, projection, deps } = world();
    const { projected } = projection;
    const customerId = randomUUID() as CustomerId;
    const approved = [{ qualification: 'Education', vettingStatus: 'Approved' }];
    store.seed({
      ...emptyRecord(customerId),
      qualifications: approved,
      lastSyncedAt: new Date(1_000),
    });
    const seen = await store.get(customerId);
    if (seen === undefined) throw new Error('not seeded');

    // Won at once: projected once, nothing marked.
    await updateRecord(
      deps,
      customerId,
      applyObservation(approved, new Date(2_000), 'read'),
      call,
      seen,
    );
    expect(projected).toEqual([new Date(2_000)]);
    expect(workQueue.has(customerId)).toBe(false);

    // Handed the record as it was before that write: the commit loses its ETag race, after the
    // projection went out alongside it, so the customer goes to the index for the timer's repair.
    await updateRecord(
      deps,
      customerId,
      applyObservation(approved, new Date(3_000), 'read'),
      call,
      seen,
    );
    expect(workQueue.has(customerId)).toBe(true);
    expect(store.peek(customerId)?.lastSyncedAt).toEqual(new Date(3_000));
    expect(projected.at(-1)).toEqual(new Date(3_000));
  });

  it("holds the view writes of the timer's own status change, and does not repair what they made exact", async () => {
    const { store, workQueue, projection, run } = world([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    const customerId = pendingCustomer(store, workQueue);
    expect(await run()).toMatchObject({ changed: 1, cleared: 1 });
    expect(projection.projected).toEqual([]);
    expect(projection.changed).toEqual([store.peek(customerId)?.lastSyncedAt]);
    expect(projection.repaired).toEqual([]);
    expect(workQueue.has(customerId)).toBe(false);
  });

  it("repairs the view as the customer leaves when the held writes of the timer's own change failed", async () => {
    const { store, workQueue, projection, run } = world([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    const customerId = pendingCustomer(store, workQueue);
    projection.failing = true;
    expect(await run()).toMatchObject({ changed: 1, cleared: 1 });
    expect(projection.changed).toEqual([]);
    expect(projection.repaired).toEqual([customerId]);
    expect(workQueue.has(customerId)).toBe(false);
  });

  it('keeps the customer in the index while its held view writes have not settled', async () => {
    const { store, workQueue, projection, deps, partnerCenter } = world([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    const customerId = pendingCustomer(store, workQueue);
    const flush = projection.flush.bind(projection);
    const removalsSeenAtFlush: boolean[] = [];
    // The removal may only be sent once the view's writes are out: at each flush, the customer
    // must still be indexed while a status change is held.
    projection.flush = () => {
      removalsSeenAtFlush.push(workQueue.has(customerId));
      return flush();
    };
    await refreshPendingVetting(
      { ...deps, partnerCenter },
      { budgetMs: 5_000, maxCalls: 10, concurrency: 1 },
      call,
    );
    expect(removalsSeenAtFlush[0]).toBe(true);
    expect(workQueue.has(customerId)).toBe(false);
  });

  it('holds the view write of a timer check that found nothing new, and sends it before the run ends', async () => {
    const { store, workQueue, projection, run } = world([
      { qualification: 'Education', vettingStatus: 'InReview' },
    ]);
    const customerId = pendingCustomer(store, workQueue);
    expect(await run()).toMatchObject({ checked: 1, changed: 0, cleared: 0 });
    expect(projection.projected).toEqual([]);
    expect(projection.synced).toEqual([store.peek(customerId)?.lastSyncedAt]);
  });

  it('asks Partner Center nothing for a record synced since the run started', async () => {
    const { store, workQueue, partnerCenter, run } = world();
    const customerId = pendingCustomer(store, workQueue, new Date(Date.now() + 60_000));
    expect(await run()).toMatchObject({ checked: 1, changed: 0, cleared: 0 });
    expect(partnerCenter.calls).toEqual([]);
    expect(workQueue.touched).toEqual([customerId]);
  });
});

/** A customer InReview in the store and in the index. */
function pendingCustomer(
  store: InMemoryCustomerStore,
  workQueue: InMemoryWorkIndex,
  lastSyncedAt = new Date(Date.now() - 60_000),
): CustomerId {
  const customerId = randomUUID() as CustomerId;
  store.seed({
    ...emptyRecord(customerId),
    qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
    lastSyncedAt,
  });
  workQueue.add(customerId);
  return customerId;
}
