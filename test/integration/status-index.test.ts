import { randomUUID } from 'node:crypto';
import { RestError, TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import { TableStatusIndex } from '../../shared/storage/table-status-index.js';

// The by-status view against Azurite: a row a failed projection left
// behind is repaired, instead of listing the customer under an old status for good.

async function view() {
  const table = TableClient.fromConnectionString(
    inject('azuriteConnectionString'),
    `ByStatus${randomUUID().replaceAll('-', '')}`,
    { allowInsecureConnection: true },
  );
  await table.createTable();
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
  return { index, listed, failNextDelete: () => (failDeletes = 1) };
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
});
