import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publishEvents, type LedgerDeps } from '../../shared/application/customer-ledger.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord } from '../../shared/domain/customer-record.js';
import { afterDelivery, leftBehind, OUTBOX_RELAY_DELAY_MS } from '../../shared/domain/outbox.js';
import type { CallContext, EventSink, SinkResult } from '../../shared/domain/ports.js';
import {
  qualificationEvent,
  type OutboxEvent,
  type QualificationEvent,
} from '../../shared/domain/qualification-event.js';
import { FanOutDelivery } from '../../shared/events/fan-out-delivery.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { InMemoryCustomerStore } from './fakes/customer-store.js';
import { InMemoryWorkIndex } from './fakes/work-index.js';

const call: CallContext = { correlationId: 'fan-out', logger: silentLogger };
const GUARD = { deadlineMs: 1_000, failureThreshold: 2, openSeconds: 3_600 };

/** A sink in memory that can be down; it keeps every event it took, duplicates included. */
class MemorySink implements EventSink {
  readonly taken: QualificationEvent[] = [];
  sends = 0;
  down = false;

  constructor(readonly name: string) {}

  send(events: readonly QualificationEvent[]): Promise<SinkResult> {
    this.sends++;
    if (this.down)
      return Promise.resolve({ delivered: [], failure: new Error(`${this.name} down`) });
    this.taken.push(...events);
    return Promise.resolve({ delivered: events.map((e) => e.id) });
  }
}

function event(customerId: string, at = new Date()): OutboxEvent {
  return qualificationEvent(
    customerId,
    { qualification: 'Education', from: 'InReview', to: 'Approved' },
    randomUUID(),
    at,
    'c',
    'refresh',
  );
}

describe('FanOutDelivery', () => {
  it('sends each event to each sink that lacks it, and says which sinks have it', async () => {
    const queue = new MemorySink('queue');
    const grid = new MemorySink('event-grid');
    const fanOut = new FanOutDelivery([{ sink: queue }, { sink: grid, guard: GUARD }]);
    const fresh = event(randomUUID());
    const halfDone: OutboxEvent = { ...event(randomUUID()), publishedTo: ['queue'] };

    const { publishedTo } = await fanOut.deliver([fresh, halfDone], call, 'inline');

    expect(queue.taken.map((e) => e.id)).toEqual([fresh.id]);
    expect(grid.taken.map((e) => e.id)).toEqual([fresh.id, halfDone.id]);
    expect(publishedTo.get(fresh.id)).toEqual(['queue', 'event-grid']);
    expect(publishedTo.get(halfDone.id)).toEqual(['queue', 'event-grid']);
    // The sinks get the event without the outbox's bookkeeping.
    expect(grid.taken[1]).not.toHaveProperty('publishedTo');
  });

  it('a sink that is down holds back only its own copies', async () => {
    const queue = new MemorySink('queue');
    const grid = new MemorySink('event-grid');
    grid.down = true;
    const e = event(randomUUID());

    const { publishedTo } = await new FanOutDelivery([
      { sink: queue },
      { sink: grid, guard: GUARD },
    ]).deliver([e], call, 'inline');

    expect(publishedTo.get(e.id)).toEqual(['queue']);
    expect(queue.taken).toHaveLength(1);
  });

  it('inline deliveries skip a sink whose circuit is open; the relay tries it and closes it', async () => {
    const grid = new MemorySink('event-grid');
    const fanOut = new FanOutDelivery([{ sink: grid, guard: GUARD }]);
    grid.down = true;
    for (let i = 0; i < 2; i++) await fanOut.deliver([event(randomUUID())], call, 'inline');
    expect(grid.sends).toBe(2);
    expect(fanOut.health()).toBe('fail');
    expect(fanOut.guardedSinks()).toEqual(['event-grid']);
    expect(fanOut.circuitOpen('event-grid')).toBe(true);

    await fanOut.deliver([event(randomUUID())], call, 'inline');
    expect(grid.sends).toBe(2); // open: not even tried

    grid.down = false;
    const relayed = event(randomUUID());
    const { publishedTo } = await fanOut.deliver([relayed], call, 'relay');
    expect(publishedTo.get(relayed.id)).toEqual(['event-grid']);
    expect(fanOut.health()).toBe('ok');
    expect(fanOut.circuitOpen('event-grid')).toBe(false);
    await fanOut.deliver([event(randomUUID())], call, 'inline');
    expect(grid.sends).toBe(4); // closed again
  });

  it('an unguarded sink (the queue) is tried on every delivery, as before Event Grid', async () => {
    const queue = new MemorySink('queue');
    const fanOut = new FanOutDelivery([{ sink: queue }]);
    queue.down = true;
    for (let i = 0; i < 4; i++) await fanOut.deliver([event(randomUUID())], call, 'inline');
    expect(queue.sends).toBe(4);
  });
});

describe('the outbox with two sinks', () => {
  it('keeps an event until both sinks have it, and sends neither sink a copy twice', async () => {
    const store = new InMemoryCustomerStore();
    const queue = new MemorySink('queue');
    const grid = new MemorySink('event-grid');
    const deps: LedgerDeps = {
      store,
      workIndex: new InMemoryWorkIndex(),
      publisher: new FanOutDelivery([{ sink: queue }, { sink: grid, guard: GUARD }]),
      clock: { now: () => new Date() },
      newId: randomUUID,
    };
    const customerId = randomUUID() as CustomerId;
    const e = event(customerId);
    store.seed({ ...emptyRecord(customerId), unpublishedEvents: [e] });
    grid.down = true;

    const relay = async (): Promise<void> => {
      const stored = await store.get(customerId);
      if (stored === undefined) throw new Error('no record');
      await publishEvents(deps, stored, call, () => true, 'relay');
    };
    await relay();
    expect(store.peek(customerId)?.unpublishedEvents).toEqual([{ ...e, publishedTo: ['queue'] }]);

    // Still down: nothing changes, and the queue is not sent it again.
    await relay();
    expect(queue.taken.map((x) => x.id)).toEqual([e.id]);

    grid.down = false;
    await relay();
    expect(store.peek(customerId)?.unpublishedEvents).toEqual([]);
    expect(queue.taken.map((x) => x.id)).toEqual([e.id]);
    expect(grid.taken.map((x) => x.id)).toEqual([e.id]);
  });

  it('records a first attempt that no sink took, so that the timer may take over at once', () => {
    const customerId = randomUUID() as CustomerId;
    const e = event(customerId);
    const record = { ...emptyRecord(customerId), unpublishedEvents: [e] };
    const next = afterDelivery(record, new Map([[e.id, []]]), ['queue', 'event-grid']);
    expect(next?.unpublishedEvents).toEqual([{ ...e, publishedTo: [] }]);
    if (next === undefined) throw new Error('the first attempt changed nothing');
    expect(afterDelivery(next, new Map([[e.id, []]]), ['queue', 'event-grid'])).toBeUndefined();
  });

  it('lets the timer relay an event its writer tried, or one old enough to be left behind', () => {
    const now = new Date();
    const young = event(randomUUID(), now);
    const old = event(randomUUID(), new Date(now.getTime() - OUTBOX_RELAY_DELAY_MS - 1));
    const tried: OutboxEvent = { ...young, publishedTo: [] };
    const relayable = leftBehind(now);
    expect([young, old, tried].map(relayable)).toEqual([false, true, true]);
  });
});
