import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from '../../shared/domain/idempotency.js';
import { TableIdempotencyStore } from '../../shared/storage/table-idempotency-store.js';
import { freshTable } from '../support/azurite-table.js';

// The timer's purge of expired Idempotency-Key records, against Azurite: bounded in count and
// in time, since its scan crosses every partition.

async function storeWithExpiredKeys(count: number) {
  const table = await freshTable('Idempotency');
  let now = new Date('2026-01-01T00:00:00Z');
  const store = new TableIdempotencyStore(
    () => table,
    () => Promise.resolve(),
    { now: () => now },
  );
  for (let i = 0; i < count; i++)
    await store.claim(`customer-${String(i)}`, `key-${String(i)}`, 'hash');
  now = new Date(now.getTime() + IDEMPOTENCY_TTL_MS + 60_000);
  const left = async () => {
    const pages = table.listEntities().byPage();
    let rows = 0;
    for await (const page of pages) rows += page.length;
    return rows;
  };
  return { store, left };
}

describe('purging expired idempotency records', () => {
  it('removes at most the limit per run, and the rest in later runs', async () => {
    const { store, left } = await storeWithExpiredKeys(5);
    expect(await store.purgeExpired(2, AbortSignal.timeout(10_000))).toBe(2);
    expect(await left()).toBe(3);
    expect(await store.purgeExpired(10, AbortSignal.timeout(10_000))).toBe(3);
    expect(await left()).toBe(0);
  });

  it('stops, without failing, when its time is up', async () => {
    const { store, left } = await storeWithExpiredKeys(3);
    expect(await store.purgeExpired(10, AbortSignal.abort())).toBe(0);
    expect(await left()).toBe(3);
  });
});
