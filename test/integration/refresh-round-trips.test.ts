import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RequestCounter } from '../../bench/request-counter.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// The storage round trips of a refresh run, counted as the gateway's HTTP requests to Azurite
// (Azurite runs in another process, so every table and queue request seen here is the gateway's).

let env: TestGateway;
beforeAll(async () => {
  env = await startTestGateway({ settings: { VETTING_REFRESH_CONCURRENCY: '8' } });
});
afterAll(async () => {
  await env.close();
});

const CUSTOMERS = 60;
const SUBMITTED = '2026-11-20T10:00:00Z';
/**
 * A run's own requests, whatever the number of customers (up to a hundred a partition): the
 * listing, one transaction of held index writes and one of held view writes per partition, and
 * the purge of expired idempotency keys after the run.
 */
const PER_RUN = 3 * 16 + 1;
/**
 * When vettings are decided, the held view writes go to two statuses' partitions (the rows
 * deleted under InReview, the new ones under Approved), and the decision notes of the day to one.
 */
const PER_DECIDED_RUN = PER_RUN + 16 + 1;
/** A partition's held writes go a second after the first at the latest (`HeldTransactions`). */
const LINGER_MS = 1_000;

/** A longer run may send a partition's held writes once a second: each second adds a round. */
function rounds(report: Record<string, unknown>): number {
  return Math.max(1, Math.ceil(Number(report.durationMs) / LINGER_MS));
}

function endpoint(name: 'TableEndpoint' | 'QueueEndpoint'): string {
  const match = new RegExp(`${name}=([^;]+)`).exec(inject('azuriteConnectionString'));
  if (match?.[1] === undefined) throw new Error(`no ${name}`);
  return match[1];
}

async function countedRefresh(): Promise<{
  report: Record<string, unknown>;
  table: number;
  queue: number;
}> {
  const counter = new RequestCounter();
  counter.start();
  try {
    const report = await env.refresh();
    return {
      report,
      table: counter.countFor(endpoint('TableEndpoint')),
      queue: counter.countFor(endpoint('QueueEndpoint')),
    };
  } finally {
    counter.stop();
  }
}

describe('a refresh run, in storage round trips per customer', () => {
  it('checks a pending customer whose vetting did not move in two: read, write; its view row goes in a transaction', async () => {
    const ids = await env.simulator.createCustomers(
      [{ qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: SUBMITTED }],
      CUSTOMERS,
    );
    for (const id of ids) {
      expect((await fetch(`${env.api}/customers/${id}/qualifications`)).status).toBe(200);
    }
    await env.refresh(); // the first check moves each customer from its mark to a checked row

    const { report, table, queue } = await countedRefresh();

    expect(report).toMatchObject({ checked: CUSTOMERS, changed: 0, cleared: 0, failed: 0 });
    expect(queue).toBe(0);
    // The record read and its freshness write; the view rows' freshness and the index moves
    // held and written up to a hundred operations to a transaction.
    expect(table).toBeLessThanOrEqual(2 * CUSTOMERS + PER_RUN * rounds(report));
    expect(table).toBeGreaterThanOrEqual(2 * CUSTOMERS);

    // Decided now: each customer's change is recorded, published and let go of.
    for (const id of ids) await env.simulator.decide(id, 'Education', 'Approved');
    const decided = await countedRefresh();
    expect(decided.report).toMatchObject({
      checked: CUSTOMERS,
      changed: CUSTOMERS,
      cleared: CUSTOMERS,
    });
    // One send per event (Queue Storage takes one message a request), and the queue's creation
    // on its first use.
    expect(decided.queue).toBeGreaterThanOrEqual(CUSTOMERS);
    expect(decided.queue).toBeLessThanOrEqual(CUSTOMERS + 2);
    // Read; commit with history; the delete of the third status's row (there only after a
    // failed projection, so sent alone); the outbox cleared after the queue took the event.
    // The view's other writes and the decision note are held and shared. No second pass over
    // the view on leaving the index: the change made it exact.
    expect(decided.table).toBeLessThanOrEqual(
      4 * CUSTOMERS + PER_DECIDED_RUN * rounds(decided.report),
    );
    expect(decided.table).toBeGreaterThanOrEqual(4 * CUSTOMERS);
  });
});
