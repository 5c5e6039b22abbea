/**
 * How the refresh timer's memory grows with the work index: fills a work index in Azurite (in a
 * worker thread, so that its tables do not count toward this thread's heap) with N pending
 * customers, then runs `refreshPendingVetting` over all of them — every record read and
 * Partner Center asked (an in-process stand-in that answers InReview at once, so that the figure
 * is the timer's, not the simulator's) — and prints the main thread's peak heap while it ran.
 * Run: `node --expose-gc --import tsx bench/listing-memory.ts 10000 100000`.
 */
import { randomUUID } from 'node:crypto';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { refreshPendingVetting } from '../shared/application/refresh-pending-vetting.js';
import type { CustomerId } from '../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../shared/domain/customer-record.js';
import type { CustomerStore, PartnerCenter, Stored } from '../shared/domain/ports.js';
import { silentLogger } from '../shared/logging/logger.js';
import { TableWorkIndex } from '../shared/storage/table-work-index.js';
import { startEmulators } from './emulators.js';
import { mib } from './memory.js';

const SHARDS = Array.from({ length: 16 }, (_, digit) => digit.toString(16));

async function main(sizes: readonly number[]): Promise<void> {
  const emulators = await startEmulators('thread');
  try {
    for (const size of sizes) await measure(emulators.connectionString, size);
  } finally {
    await emulators.close();
  }
}

async function measure(connectionString: string, size: number): Promise<void> {
  const table = TableClient.fromConnectionString(
    connectionString,
    `Work${randomUUID().replaceAll('-', '')}`,
    { allowInsecureConnection: true },
  );
  await table.createTable();
  const seeded = performance.now();
  await seed(table, size);
  const seedSeconds = (performance.now() - seeded) / 1000;
  const index = new TableWorkIndex(
    () => table,
    () => Promise.resolve(),
  );
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  // What the run holds, not the garbage it leaves for the collector: collected before each sample
  // (with --expose-gc; without, the peak includes garbage).
  const sampler = setInterval(() => {
    global.gc?.();
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  }, 250);
  const started = performance.now();
  const report = await refreshPendingVetting(
    {
      store: pendingStore(),
      workIndex: index,
      partnerCenter: stillInReview(),
      publisher: {
        sinks: [],
        health: () => 'ok',
        deliver: () => Promise.resolve({ publishedTo: new Map() }),
      },
      clock: { now: () => new Date() },
      newId: randomUUID,
    },
    { budgetMs: 3_600_000, maxCalls: 1_000_000, concurrency: 16 },
    { correlationId: 'memory', logger: silentLogger },
  );
  clearInterval(sampler);
  console.log(
    `${String(size).padStart(7)} customers: checked ${report.checked} in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (seeded in ${seedSeconds.toFixed(1)} s); ` +
      `main-thread heap ${mib(before.heapUsed)} → peak ${mib(peakHeap)} ` +
      `(+${mib(peakHeap - before.heapUsed)}), process RSS peak ${mib(peakRss)} (Azurite's tables included)`,
  );
  await table.deleteTable();
}

/** N marks, a hundred to a transaction. */
async function seed(table: TableClient, size: number): Promise<void> {
  const byShard = new Map<string, TransactionAction[]>(SHARDS.map((s) => [s, []]));
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < size; i++) {
    const id = randomUUID();
    const batch = byShard.get(id.charAt(0)) ?? [];
    batch.push(['create', { partitionKey: id.charAt(0), rowKey: id, refusals: 0 }]);
    if (batch.length === 100) {
      sends.push(table.submitTransaction(batch.splice(0)));
      if (sends.length >= 8) await Promise.all(sends.splice(0));
    }
  }
  for (const batch of byShard.values())
    if (batch.length > 0) sends.push(table.submitTransaction(batch));
  await Promise.all(sends);
}

/** Every customer pending: a record made on the spot, never stored (the timer's write is a no-op). */
function pendingStore(): CustomerStore {
  const record = (customerId: CustomerId): CustomerRecord => ({
    ...emptyRecord(customerId),
    qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
    lastSyncedAt: new Date(0),
  });
  return {
    get: (customerId): Promise<Stored<CustomerRecord>> =>
      Promise.resolve({ value: record(customerId), etag: 'e' }),
    commit: () => Promise.resolve({ ok: true, etag: 'e' }),
    commitFreshness: () => Promise.resolve({ ok: true, etag: 'e' }),
    history: () => Promise.resolve([]),
    ping: () => Promise.resolve(),
  };
}

function stillInReview(): PartnerCenter {
  return {
    getQualifications: () =>
      Promise.resolve({
        ok: true,
        value: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      }),
    createQualification: () => Promise.reject(new Error('not in this benchmark')),
    listValidationCodes: () => Promise.reject(new Error('not in this benchmark')),
    health: () => {
      throw new Error('not in this benchmark');
    },
  };
}

const sizes = process.argv.slice(2).map(Number);
main(sizes.length > 0 ? sizes : [10_000, 100_000]).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
