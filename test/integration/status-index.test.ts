import { randomUUID } from 'node:crypto';
import { RestError, TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import { TableStatusIndex } from '../../shared/storage/table-status-index.js';
import { countTransactions, freshTable } from '../support/azurite-table.js';

// The by-status view against Azurite: a row a failed projection left
// behind is repaired, instead of listing the customer under an old status for good.

async function view() {
  const table = await freshTable('ByStatus');
  let failDeletes = 0;
  const deleteEntity = table.deleteEntity.bind(table);
  table.deleteEntity = (...args: Parameters<TableClient['deleteEntity']>) => {
    if (failDeletes > 0) {
      failDeletes--;
      return Promise.reject(new RestError('Service unavailable', { statusCode: 503 }));
    }
    return deleteEntity(...args);
  };
  const index = new TableStatusIndex(
    () => table,
    () => Promise.resolve(),
  );
  const listed = async (status: string): Promise<string[]> => {
    const listing = await index.list(status, undefined, 200, undefined);
    return listing.ok ? listing.page.items.map((item) => item.customerId) : [];
  };
  const transactions = countTransactions(table);
  const syncedAt = async (status: string): Promise<Record<string, string>> => {
    const listing = await index.list(status, undefined, 200, undefined);
    return Object.fromEntries(
      listing.ok ? listing.page.items.map((item) => [item.customerId, item.lastSyncedAt]) : [],
    );
  };
  return {
    index,
    listed,
    syncedAt,
    transactions,
    failNextDelete: () => (failDeletes = 1),
  };
}

const customerId = randomUUID() as CustomerId;
const record = (vettingStatus: string, minutes: number): CustomerRecord => ({
  ...emptyRecord(customerId),
  qualifications: [{ qualification: 'Education', vettingStatus }],
  lastSyncedAt: new Date(Date.UTC(2026, 11, 1, 10, minutes)),
});

describe('the by-status view', () => {
  it('repairs a delete a failed projection missed, for a customer the timer lets go', async () => {
    const { index, listed, failNextDelete } = await view();
    await index.project(undefined, record('InReview', 0));
    failNextDelete();
    await expect(index.project(record('InReview', 0), record('Approved', 1))).rejects.toThrow();
    // The later write of the same status deletes nothing on its own…
    await index.project(record('Approved', 1), record('Approved', 2));
    expect(await listed('InReview')).toEqual([customerId]);
    // …the repair does.
    await index.repair(record('Approved', 2));
    expect(await listed('InReview')).toEqual([]);
    expect(await listed('Approved')).toEqual([customerId]);
  });

  it('clears every other status at the next change, whatever the previous record said', async () => {
    const { index, listed } = await view();
    // Out of order: an older InReview projection lands after the Approved one.
    await index.project(record('InReview', 0), record('Approved', 1));
    await index.project(undefined, record('InReview', 0));
    expect(await listed('InReview')).toEqual([customerId]);
    // The next change clears the rows of every other status.
    await index.project(record('Approved', 1), record('Denied', 2));
    expect(await listed('InReview')).toEqual([]);
    expect(await listed('Approved')).toEqual([]);
    expect(await listed('Denied')).toEqual([customerId]);
  });

  it('holds the lastSyncedAt of checks that found nothing new and merges them in one transaction a partition', async () => {
    const { index, syncedAt, transactions } = await view();
    // Customers of one shard (the id's first hex digit), so one partition of InReview.
    const ids = Array.from({ length: 30 }, () => `0${randomUUID().slice(1)}` as CustomerId);
    const at = (id: CustomerId, minutes: number): CustomerRecord => ({
      ...emptyRecord(id),
      qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      lastSyncedAt: new Date(Date.UTC(2026, 11, 1, 10, minutes)),
    });
    for (const id of ids) await index.project(undefined, at(id, 0));

    const synced = Promise.all(ids.map((id) => index.projectSync(at(id, 5))));
    await index.flush();
    await synced;

    expect(transactions()).toBe(1);
    const times = await syncedAt('InReview');
    for (const id of ids) expect(times[id]).toBe('2026-12-01T10:05:00.000Z');
  });

  it('never re-creates a row a status change removed before the held write went out', async () => {
    const { index, listed, syncedAt } = await view();
    // Of the same partition: the transaction with the gone row fails, the other write still lands.
    const other = `${customerId.charAt(0)}${randomUUID().slice(1)}` as CustomerId;
    await index.project(undefined, record('InReview', 0));
    await index.project(undefined, { ...record('InReview', 0), customerId: other });

    const held = index.projectSync(record('InReview', 1));
    const heldOther = index.projectSync({ ...record('InReview', 1), customerId: other });
    await index.project(record('InReview', 0), record('Approved', 2));
    await index.flush();
    await Promise.all([held, heldOther]);

    expect(await listed('InReview')).toEqual([other]);
    expect(await listed('Approved')).toEqual([customerId]);
    expect((await syncedAt('InReview'))[other]).toBe('2026-12-01T10:01:00.000Z');
  });

  it("holds the timer's status changes and sends them in one transaction a partition", async () => {
    const { index, listed, transactions } = await view();
    // One shard: one partition of InReview (the deletes) and one of Approved (the new rows).
    const ids = Array.from({ length: 30 }, () => `1${randomUUID().slice(1)}` as CustomerId);
    const at = (id: CustomerId, vettingStatus: string, minutes: number): CustomerRecord => ({
      ...emptyRecord(id),
      qualifications: [{ qualification: 'Education', vettingStatus }],
      lastSyncedAt: new Date(Date.UTC(2026, 11, 1, 10, minutes)),
    });
    for (const id of ids) await index.project(undefined, at(id, 'InReview', 0));

    const changed = Promise.all(
      ids.map((id) => index.projectChange(at(id, 'InReview', 0), at(id, 'Approved', 5))),
    );
    await index.flush();
    await changed;

    expect(transactions()).toBe(2);
    expect(await listed('InReview')).toEqual([]);
    expect((await listed('Approved')).sort()).toEqual([...ids].sort());
  });

  it("a held delete whose row is gone costs no other customer's change", async () => {
    const { index, listed } = await view();
    const other = `${customerId.charAt(0)}${randomUUID().slice(1)}` as CustomerId;
    const of = (id: CustomerId, vettingStatus: string) => ({
      ...record(vettingStatus, 3),
      customerId: id,
    });
    // The customer's InReview row was never written (its projection failed); the other's was.
    await index.project(undefined, of(other, 'InReview'));
    // A row out of order under the third status: deleted too, at once.
    await index.project(undefined, of(customerId, 'Denied'));

    const changes = Promise.all([
      index.projectChange(of(customerId, 'InReview'), of(customerId, 'Approved')),
      index.projectChange(of(other, 'InReview'), of(other, 'Approved')),
    ]);
    await index.flush();
    await changes;

    expect(await listed('InReview')).toEqual([]);
    expect(await listed('Denied')).toEqual([]);
    expect((await listed('Approved')).sort()).toEqual([customerId, other].sort());
  });
});
