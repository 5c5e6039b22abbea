import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { HeldTransactions } from '../../shared/storage/held-transactions.js';
import { countTransactions, freshTable } from '../support/azurite-table.js';

// Held writes against Azurite: a partition's writes go together, and never wait for a flush that
// does not come.

async function table(): Promise<{ client: TableClient; transactions: () => number }> {
  const client = await freshTable('Held');
  return { client, transactions: countTransactions(client) };
}

describe('HeldTransactions', () => {
  it('sends what a partition holds a moment after its first write, with no flush', async () => {
    const { client, transactions } = await table();
    const held = new HeldTransactions(
      () => client,
      () => Promise.resolve(),
      20,
    );
    const writes = ['a', 'b', 'c'].map((rowKey) =>
      held.hold('p', [['upsert', { partitionKey: 'p', rowKey }, 'Replace']]),
    );
    expect(await Promise.all(writes)).toEqual([true, true, true]);
    expect(transactions()).toBe(1);
    const rows = [];
    for await (const entity of client.listEntities()) rows.push(entity.rowKey);
    expect(rows).toEqual(['a', 'b', 'c']);
  });

  it('sends a full transaction at once, and starts the next with a write that names a held row', async () => {
    const { client, transactions } = await table();
    const held = new HeldTransactions(
      () => client,
      () => Promise.resolve(),
      60_000,
    );
    const full = Array.from({ length: 100 }, (_, i) =>
      held.hold('p', [['upsert', { partitionKey: 'p', rowKey: `r${String(i)}` }, 'Replace']]),
    );
    expect((await Promise.all(full)).every(Boolean)).toBe(true);
    expect(transactions()).toBe(1);

    const first = held.hold('q', [['upsert', { partitionKey: 'q', rowKey: 'x', n: 1 }, 'Replace']]);
    const again = held.hold('q', [['upsert', { partitionKey: 'q', rowKey: 'x', n: 2 }, 'Replace']]);
    expect(await first).toBe(true);
    await held.flush();
    expect(await again).toBe(true);
    expect(transactions()).toBe(3);
    expect((await client.getEntity<{ n: number }>('q', 'x')).n).toBe(2);
  });
});
