import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import type { WorkItem } from '../../shared/domain/ports.js';
import { TableWorkIndex } from '../../shared/storage/table-work-index.js';
import { RequestCounter } from '../../bench/request-counter.js';
import { freshTable } from '../support/azurite-table.js';

// The work index against Azurite: turn order across its sixteen partitions, read a page at a
// time; checks held and written in transactions; a newer mark always wins.

async function workIndex(): Promise<{ index: TableWorkIndex; table: TableClient }> {
  const table = await freshTable('Work');
  return {
    index: new TableWorkIndex(
      () => table,
      () => Promise.resolve(),
    ),
    table,
  };
}

async function listed(index: TableWorkIndex, checkedBefore?: Date): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for await (const page of index.list(checkedBefore)) items.push(...page);
  return items;
}

/** Touches held until the flush; a mark's row goes once its checked row is written. */
async function touchAll(
  index: TableWorkIndex,
  items: readonly WorkItem[],
  checkedAt: (i: number) => Date,
): Promise<void> {
  const touches = items.map((item, i) => index.touch(item, checkedAt(i)));
  await index.flush();
  await Promise.all(touches);
}

const customer = (): CustomerId => randomUUID() as CustomerId;
const at = (ms: number): Date => new Date(Date.UTC(2026, 11, 1) + ms);

describe('the work index', () => {
  it('lists marks first, then the least recently checked, across every partition', async () => {
    const { index } = await workIndex();
    const ids = Array.from({ length: 40 }, customer);
    for (const id of ids) await index.mark(id);
    const first = await listed(index);
    expect(new Set(first.map((i) => i.customerId))).toEqual(new Set(ids));
    // Checked in three runs, ten each, in an order the partitions do not follow.
    const runs = [at(3_000), at(1_000), at(2_000)];
    await touchAll(index, first.slice(0, 30), (i) => runs[i % 3] as Date);

    const order = await listed(index);
    expect(order).toHaveLength(40);
    expect(order.slice(0, 10).every((i) => i.lastCheckedAt === undefined)).toBe(true);
    const times = order.slice(10).map((i) => i.lastCheckedAt?.getTime());
    expect(times).toEqual([...times].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(times)).toEqual(new Set(runs.map((d) => d.getTime())));
    // A run sees only what was checked before it started.
    const beforeLast = await listed(index, at(3_000));
    expect(beforeLast).toHaveLength(30);
  });

  it('folds a customer marked again after a check into one row at its next touch', async () => {
    const { index } = await workIndex();
    const id = customer();
    await index.mark(id);
    const [marked] = await listed(index);
    await touchAll(index, [marked as WorkItem], () => at(1_000));
    await index.mark(id); // marked again, e.g. by a submission: now listed twice
    const twice = await listed(index);
    expect(twice.map((i) => i.customerId)).toEqual([id, id]);

    await touchAll(index, twice, () => at(2_000));
    expect(await listed(index)).toMatchObject([{ customerId: id, lastCheckedAt: at(2_000) }]);
  });

  it('keeps a customer marked again after it was listed: the removal and the touch lose', async () => {
    const { index } = await workIndex();
    const [a, b] = [customer(), customer()];
    await index.mark(a);
    await index.mark(b);
    const items = await listed(index);
    await index.mark(a);
    await index.mark(b);
    const removed = index.remove(items.find((i) => i.customerId === a) as WorkItem);
    const touched = index.touch(items.find((i) => i.customerId === b) as WorkItem, at(1_000));
    await index.flush();
    expect(await removed).toBe(false);
    await touched;
    // b is listed twice now (its check and its newer mark), a once; neither is lost.
    const after = await listed(index);
    expect(after.filter((i) => i.customerId === a)).toHaveLength(1);
    expect(after.find((i) => i.customerId === b && i.lastCheckedAt === undefined)).toBeDefined();
  });

  it('writes fifty touches of checked rows in one partition in one transaction', async () => {
    const { index } = await workIndex();
    // Fifty customers of one partition (first hex digit 'a'), checked once already.
    const ids = Array.from({ length: 50 }, () => `a${randomUUID().slice(1)}` as CustomerId);
    for (const id of ids) await index.mark(id);
    await touchAll(index, await listed(index), () => at(1_000));
    const checked = await listed(index);
    expect(checked.every((i) => i.lastCheckedAt?.getTime() === at(1_000).getTime())).toBe(true);

    const counter = new RequestCounter();
    const url = new URL(
      inject('azuriteConnectionString').match(/TableEndpoint=([^;]+)/)?.[1] ?? '',
    );
    counter.start();
    try {
      const touches = checked.map((item) => index.touch(item, at(2_000)));
      await index.flush();
      await Promise.all(touches);
    } finally {
      counter.stop();
    }
    expect(counter.countFor(url.href)).toBe(1);
    const moved = await listed(index);
    expect(moved).toHaveLength(50);
    expect(moved.every((i) => i.lastCheckedAt?.getTime() === at(2_000).getTime())).toBe(true);
  });

  it('removes checked rows in one transaction, and tells each removal whether it applied', async () => {
    const { index } = await workIndex();
    const ids = Array.from({ length: 10 }, () => `b${randomUUID().slice(1)}` as CustomerId);
    for (const id of ids) await index.mark(id);
    await touchAll(index, await listed(index), () => at(1_000));
    const checked = await listed(index);
    // One of them is gone already (another run let it go): the others still go.
    const gone = index.remove(checked[0] as WorkItem);
    await index.flush();
    expect(await gone).toBe(true);
    const results = checked.map((item) => index.remove(item));
    await index.flush();
    expect(await Promise.all(results)).toEqual([false, ...Array<boolean>(9).fill(true)]);
    expect(await listed(index)).toEqual([]);
  });
});
