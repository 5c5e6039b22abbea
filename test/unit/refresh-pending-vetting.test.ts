import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  refreshPendingVetting,
  type RefreshDeps,
  type RefreshLimits,
} from '../../shared/application/refresh-pending-vetting.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import type { CallContext, WorkItem } from '../../shared/domain/ports.js';
import type { Qualification } from '../../shared/domain/qualification.js';
import { qualificationEvent } from '../../shared/domain/qualification-event.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { InMemoryCustomerStore } from './fakes/customer-store.js';
import { RecordingPublisher } from './fakes/event-publisher.js';
import {
  FakePartnerCenter,
  type FakePartnerCenterOptions,
  type QualificationsAnswer,
} from './fakes/partner-center.js';
import { InMemoryWorkIndex, type PageLayout } from './fakes/work-index.js';

// The refresh use case over in-memory ports: throttling, budgets, fairness and failures.

const VETTING_DATE = '2025-01-01T00:00:00.000Z';
const inReview: Qualification = {
  qualification: 'Education',
  vettingStatus: 'InReview',
  vettingCreateDate: VETTING_DATE,
};
const stillInReview: QualificationsAnswer = { ok: true, value: [inReview] };
const approved: QualificationsAnswer = {
  ok: true,
  value: [{ ...inReview, vettingStatus: 'Approved', vettingReason: 'Verified' }],
};
const throttled = (retryAfterSeconds: number): QualificationsAnswer => ({
  ok: false,
  failure: { kind: 'throttled', retryAfterSeconds },
});

const call: CallContext = { correlationId: 'run-1', logger: silentLogger };
const newCustomerId = (): CustomerId => randomUUID() as CustomerId;

function pendingRecord(customerId: CustomerId): CustomerRecord {
  return {
    ...emptyRecord(customerId),
    qualifications: [inReview],
    lastSyncedAt: new Date(Date.now() - 60 * 60_000),
  };
}

function settledRecord(customerId: CustomerId): CustomerRecord {
  return {
    ...pendingRecord(customerId),
    qualifications: [{ ...inReview, vettingStatus: 'Approved' }],
  };
}

interface Setup {
  readonly partnerCenter?: FakePartnerCenterOptions;
  readonly layout?: PageLayout;
  readonly storeLatencyMs?: number | ((customerId: CustomerId) => number);
}

function world(setup: Setup = {}) {
  // Every storage round trip takes time, as on a real table: a worker busy with storage is
  // at a different step than one waiting for Partner Center.
  const store = new InMemoryCustomerStore(setup.storeLatencyMs ?? 1);
  const workQueue = new InMemoryWorkIndex(setup.layout);
  const publisher = new RecordingPublisher();
  const partnerCenter = new FakePartnerCenter(
    setup.partnerCenter ?? { answer: () => stillInReview, delayMs: 1 },
  );
  const deps: RefreshDeps = {
    store,
    workIndex: workQueue,
    publisher,
    partnerCenter,
    clock: { now: () => new Date() },
    newId: randomUUID,
  };
  const seed = (record: CustomerRecord, lastCheckedAt?: Date): CustomerId => {
    store.seed(record);
    workQueue.add(record.customerId, lastCheckedAt);
    return record.customerId;
  };
  const seedPending = (count: number): CustomerId[] =>
    Array.from({ length: count }, () => seed(pendingRecord(newCustomerId())));
  const run = (limits: Partial<RefreshLimits> = {}) =>
    refreshPendingVetting(
      deps,
      { budgetMs: 10_000, maxCalls: 1000, concurrency: 4, ...limits },
      call,
    );
  return { store, workQueue, publisher, partnerCenter, deps, seed, seedPending, run };
}

describe('refreshPendingVetting', () => {
  it('checks every indexed customer exactly once, across empty pages', async () => {
    const customers: CustomerId[] = [];
    const w = world({
      layout: { pageSize: 4, emptyPagesBetween: 2 },
      partnerCenter: {
        // Every other customer's vetting has been decided.
        answer: (id) => (customers.indexOf(id) % 2 === 0 ? approved : stillInReview),
        delayMs: 2,
      },
    });
    customers.push(...w.seedPending(22));

    const report = await w.run({ concurrency: 3 });

    expect(w.workQueue.listedToTheEnd).toBe(true);
    for (const id of customers) expect(w.partnerCenter.callsFor(id)).toHaveLength(1);
    expect(w.partnerCenter.calls).toHaveLength(22);
    expect(report).toMatchObject({
      indexed: 22,
      checked: 22,
      changed: 11,
      cleared: 11,
      throttled: 0,
      failed: 0,
      deferred: 0,
      stoppedBy: 'done',
    });
    // Decided customers: recorded, announced once, and out of the index; the others stay in it.
    customers.forEach((id, index) => {
      const decided = index % 2 === 0;
      expect(w.workQueue.has(id)).toBe(!decided);
      expect(w.store.peek(id)?.qualifications?.[0]?.vettingStatus).toBe(
        decided ? 'Approved' : 'InReview',
      );
      expect(w.store.peek(id)?.unpublishedEvents).toEqual([]);
    });
    expect(w.publisher.published.map((e) => e.data.vettingStatus)).toEqual(
      Array<string>(11).fill('Approved'),
    );
    expect(new Set(w.workQueue.touched)).toEqual(new Set(customers.filter((_, i) => i % 2 === 1)));
  });

  it('reads a customer once: the update starts from the record the relay of its events wrote', async () => {
    const w = world({ partnerCenter: { answer: () => approved, delayMs: 1 } });
    const id = newCustomerId();
    const leftBehind = qualificationEvent(
      id,
      { qualification: 'GovernmentCommunityCloud', from: 'InReview', to: 'Denied' },
      'left-behind',
      new Date(Date.now() - 10 * 60_000),
      'an-earlier-run',
    );
    w.seed({ ...pendingRecord(id), unpublishedEvents: [leftBehind] });

    const report = await w.run();

    expect(report).toMatchObject({ checked: 1, changed: 1, cleared: 1 });
    expect(w.publisher.published.map((e) => e.id)[0]).toBe('left-behind');
    expect(w.publisher.published.map((e) => e.data.vettingStatus)).toEqual(['Denied', 'Approved']);
    expect(w.store.peek(id)?.unpublishedEvents).toEqual([]);
    expect(w.store.reads).toBe(1);
  });

  it('asks Partner Center not to wait out a 429 inside the call', async () => {
    const w = world();
    w.seedPending(3);
    await w.run();
    expect(w.partnerCenter.calls.map((c) => c.waitOnThrottle)).toEqual([false, false, false]);
  });

  it('stops at maxCalls; customers that need no call do not count', async () => {
    const w = world();
    const kinds = ['pending', 'settled', 'pending', 'settled', 'pending', 'pending', 'pending'];
    const ids = kinds.map((kind) =>
      w.seed(kind === 'pending' ? pendingRecord(newCustomerId()) : settledRecord(newCustomerId())),
    );
    ids.push(w.seed(pendingRecord(newCustomerId())));

    const report = await w.run({ maxCalls: 4, concurrency: 1 });

    expect(w.partnerCenter.calls.map((c) => c.customerId)).toEqual(
      ids.filter((_, i) => kinds[i] === 'pending').slice(0, 4),
    );
    expect(report).toMatchObject({
      indexed: 8,
      checked: 6,
      cleared: 2,
      deferred: 2,
      stoppedBy: 'call-cap',
    });
  });

  it('never passes maxCalls with concurrent workers', async () => {
    const w = world({ partnerCenter: { answer: () => stillInReview, delayMs: 5 } });
    w.seedPending(30);
    const report = await w.run({ maxCalls: 7, concurrency: 5 });
    expect(w.partnerCenter.calls).toHaveLength(7);
    expect(report).toMatchObject({ checked: 7, deferred: 23, stoppedBy: 'call-cap' });
  });

  it('stops inside its time budget, and the next run starts with what it did not reach', async () => {
    const budgetMs = 150;
    let delayMs = 30;
    const w = world({ partnerCenter: { answer: () => stillInReview, delayMs: () => delayMs } });
    const customers = w.seedPending(40);

    const startedAt = Date.now();
    const report = await w.run({ budgetMs, concurrency: 2 });
    const elapsed = Date.now() - startedAt;

    expect(report.stoppedBy).toBe('budget');
    expect(report.checked).toBeGreaterThan(0);
    expect(report.checked).toBeLessThan(40);
    expect(report.checked + report.deferred).toBe(40);
    // No call starts after the deadline; the calls in flight then may finish.
    for (const c of w.partnerCenter.calls) expect(c.startedAt).toBeLessThan(startedAt + budgetMs);
    expect(elapsed).toBeLessThan(budgetMs + delayMs + 200);

    const reached = new Set(w.partnerCenter.calls.map((c) => c.customerId));
    const notReached = customers.filter((id) => !reached.has(id));
    w.partnerCenter.calls.length = 0;
    delayMs = 1;
    const next = await w.run({ budgetMs: 5000, concurrency: 2 });
    expect(next.stoppedBy).toBe('done');
    expect(
      new Set(w.partnerCenter.calls.slice(0, notReached.length).map((c) => c.customerId)),
    ).toEqual(new Set(notReached));
    expect(w.partnerCenter.calls).toHaveLength(40);
  });

  it('checks the least recently checked first, never-checked before all', async () => {
    const w = world();
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const ids = [
      w.seed(pendingRecord(newCustomerId()), minutesAgo(1)),
      w.seed(pendingRecord(newCustomerId())),
      w.seed(pendingRecord(newCustomerId()), minutesAgo(10)),
      w.seed(pendingRecord(newCustomerId()), minutesAgo(5)),
      w.seed(pendingRecord(newCustomerId())),
    ];
    const report = await w.run({ maxCalls: 4, concurrency: 1 });
    expect(w.partnerCenter.calls.map((c) => c.customerId)).toEqual([
      ids[1],
      ids[4],
      ids[2],
      ids[3],
    ]);
    expect(report.deferred).toBe(1);
    // Checked ones move to the back of the line.
    expect(w.workQueue.lastCheckedAt(ids[1] as CustomerId)?.getTime()).toBeGreaterThan(
      minutesAgo(1).getTime(),
    );
  });

  it('never runs more calls at once than its concurrency', async () => {
    const w = world({
      partnerCenter: {
        answer: () => stillInReview,
        delayMs: (id) => 1 + (parseInt(id.slice(0, 2), 16) % 8),
      },
    });
    w.seedPending(40);
    const report = await w.run({ concurrency: 3 });
    expect(report.checked).toBe(40);
    expect(w.partnerCenter.maxInFlight).toBe(3);
  });

  // Customer 0's call is throttled after 20 ms. The other worker is then inside a 60 ms storage
  // read of customer 1, between taking it and calling Partner Center: it must wait too.
  const throttleScenario = (retryAfterSeconds: number) => {
    const customers: CustomerId[] = [];
    const w = world({
      partnerCenter: {
        answer: (id) => (id === customers[0] ? throttled(retryAfterSeconds) : stillInReview),
        delayMs: (id) => (id === customers[0] ? 20 : 5),
      },
      storeLatencyMs: (id) => (id === customers[1] ? 60 : 1),
    });
    customers.push(...w.seedPending(8));
    const throttledCall = () => w.partnerCenter.callsFor(customers[0] as CustomerId)[0];
    /** Calls that started after the 429 was answered (by order of events, not clock). */
    const callsAfter429 = () =>
      w.partnerCenter.calls.filter((c) => c.startedSeq > (throttledCall()?.endedSeq ?? Infinity));
    return { w, customers, throttledCall, callsAfter429 };
  };

  it('pauses every worker for the Retry-After of a 429, then carries on', async () => {
    const { w, customers, throttledCall, callsAfter429 } = throttleScenario(1);

    const report = await w.run({ concurrency: 2 });

    const throttledAt = throttledCall()?.endedAt ?? Number.NaN;
    const after = callsAfter429();
    expect(after.map((c) => c.customerId)).toContain(customers[1]);
    for (const c of after) expect(c.startedAt).toBeGreaterThanOrEqual(throttledAt + 1000);
    expect(report).toMatchObject({
      indexed: 8,
      checked: 7,
      throttled: 1,
      deferred: 1,
      stoppedBy: 'done',
    });
    // One question per customer and run: the throttled one waits, untouched, for the next run.
    for (const id of customers) expect(w.partnerCenter.callsFor(id)).toHaveLength(1);
    expect(w.workQueue.touched).not.toContain(customers[0]);
    expect(w.workQueue.has(customers[0] as CustomerId)).toBe(true);
  });

  it('ends the run at once, inside its budget, when the Retry-After does not fit', async () => {
    const budgetMs = 1500;
    const { w, customers, callsAfter429 } = throttleScenario(30);

    const report = await w.run({ budgetMs, concurrency: 2 });

    expect(callsAfter429()).toEqual([]);
    expect(w.partnerCenter.callsFor(customers[1] as CustomerId)).toEqual([]);
    expect(report).toMatchObject({ stoppedBy: 'throttled', throttled: 1, checked: 0 });
    expect(report.durationMs).toBeLessThan(budgetMs / 2);
    // Neither the throttled customer nor the one not asked is lost: both are first next run.
    expect(report.deferred).toBe(8);
    expect(w.workQueue.touched).toEqual([]);
  });

  it('waits for storage once a thousand index writes are unsettled, sending what is held', async () => {
    const w = world({ storeLatencyMs: 0 });
    const held = new HoldingWorkIndex();
    const customers = Array.from({ length: 1_200 }, () => {
      const record = pendingRecord(newCustomerId());
      w.store.seed(record);
      held.add(record.customerId);
      return record.customerId;
    });

    const report = await refreshPendingVetting(
      { ...w.deps, workIndex: held },
      { budgetMs: 60_000, maxCalls: 10_000, concurrency: 4 },
      call,
    );

    expect(report).toMatchObject({ checked: 1_200, stoppedBy: 'done' });
    expect(held.mostUnsettled).toBeLessThanOrEqual(1_000);
    expect(held.flushes).toBeGreaterThan(1); // sent during the run, not only at its end
    expect(new Set(held.touched)).toEqual(new Set(customers));
  });
});

/** A work index that, like the table's, holds touches until it is flushed. */
class HoldingWorkIndex extends InMemoryWorkIndex {
  private held: (() => void)[] = [];
  mostUnsettled = 0;

  override touch(item: WorkItem, checkedAt: Date, refusals?: number): Promise<void> {
    return new Promise((resolve) => {
      this.held.push(() => {
        void super.touch(item, checkedAt, refusals).then(resolve);
      });
      this.mostUnsettled = Math.max(this.mostUnsettled, this.held.length);
    });
  }

  override flush(): Promise<void> {
    for (const send of this.held.splice(0)) send();
    return super.flush();
  }
}
