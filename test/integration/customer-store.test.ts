import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../shared/domain/customer-record.js';
import { qualificationEvent } from '../../shared/domain/qualification-event.js';
import { RecordTooLargeError } from '../../shared/storage/customer-record-entity.js';
import { TableCustomerStore } from '../../shared/storage/table-customer-store.js';
import { freshTable } from '../support/azurite-table.js';

// The customer store against Azurite, which refuses what Table Storage refuses: a string
// property over 32K characters, an entity over 1 MiB.

async function store(): Promise<TableCustomerStore> {
  const table = await freshTable('Customers');
  return new TableCustomerStore(
    () => table,
    () => Promise.resolve(),
  );
}

function withEvents(count: number, reasonLength: number): CustomerRecord {
  const customerId = randomUUID() as CustomerId;
  return {
    ...emptyRecord(customerId),
    qualifications: [{ qualification: 'Education', vettingStatus: 'Denied' }],
    lastSyncedAt: new Date(),
    unpublishedEvents: Array.from({ length: count }, (_, i) =>
      qualificationEvent(
        customerId,
        {
          qualification: 'Education',
          from: 'InReview',
          to: 'Denied',
          vettingReason: `${String(i)} ${'r'.repeat(reasonLength)}`,
        },
        randomUUID(),
        new Date(),
        randomUUID(),
      ),
    ),
  };
}

describe('TableCustomerStore', () => {
  it('stores and reads back an outbox longer than one property holds', async () => {
    const customers = await store();
    const record = withEvents(60, 990); // about 80,000 characters of JSON
    expect(JSON.stringify(record.unpublishedEvents).length).toBeGreaterThan(64_000);
    const saved = await customers.commit(record, undefined, []);
    expect(saved.ok).toBe(true);
    const read = await customers.get(record.customerId);
    expect(read?.value).toEqual(record);

    // Shorter again: the properties of the longer write are gone (Replace), the list is exact.
    const shorter = { ...record, unpublishedEvents: record.unpublishedEvents.slice(0, 2) };
    const again = await customers.commit(shorter, saved.ok ? saved.etag : undefined, []);
    expect(again.ok).toBe(true);
    expect((await customers.get(record.customerId))?.value).toEqual(shorter);
  });

  it('refuses, before any request, a record larger than an entity can hold', async () => {
    const customers = await store();
    const record = withEvents(600, 990);
    await expect(customers.commit(record, undefined, [])).rejects.toBeInstanceOf(
      RecordTooLargeError,
    );
    expect(await customers.get(record.customerId)).toBeUndefined();
  });

  it('moves lastSyncedAt alone with a freshness write, guarded by the ETag', async () => {
    const customers = await store();
    const record = withEvents(3, 10);
    const first = await customers.commit(record, undefined, []);
    if (!first.ok) throw new Error('the first commit is never a lost race');
    const later = new Date((record.lastSyncedAt?.getTime() ?? 0) + 60_000);

    // Only lastSyncedAt is sent: what the record passed here says otherwise is not written.
    const moved = await customers.commitFreshness(
      { ...record, lastSyncedAt: later, unpublishedEvents: [] },
      first.etag,
    );
    expect(moved.ok).toBe(true);
    const read = await customers.get(record.customerId);
    expect(read?.value).toEqual({ ...record, lastSyncedAt: later });
    expect(read?.etag).toBe(moved.ok && moved.etag);

    // The ETag of before that write no longer matches: a lost race, and nothing written.
    expect(
      await customers.commitFreshness({ ...record, lastSyncedAt: new Date() }, first.etag),
    ).toEqual({ ok: false });
    expect((await customers.get(record.customerId))?.value.lastSyncedAt).toEqual(later);
  });
});
