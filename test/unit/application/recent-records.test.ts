import { describe, expect, it } from 'vitest';
import {
  createLiveReads,
  getCustomerQualifications,
  type GetCustomerQualificationsDeps,
} from '../../../shared/application/get-customer-qualifications.js';
import { RecentRecords, rememberingStore } from '../../../shared/application/recent-records.js';
import { updateRecord } from '../../../shared/application/customer-ledger.js';
import type { CustomerId } from '../../../shared/domain/customer-id.js';
import { emptyRecord, type CustomerRecord } from '../../../shared/domain/customer-record.js';
import type { CustomerStore } from '../../../shared/domain/ports.js';
import type { Qualification } from '../../../shared/domain/qualification.js';
import { FakePartnerCenter } from '../fakes/partner-center.js';
import { ledgerWorld, newCustomerId, recordingCall } from './world.js';

const approved: Qualification = { qualification: 'Education', vettingStatus: 'Approved' };
const inReview: Qualification = { qualification: 'Education', vettingStatus: 'InReview' };

function record(customerId: CustomerId, qualifications: Qualification[]): CustomerRecord {
  return {
    ...emptyRecord(customerId),
    qualifications,
    lastSyncedAt: new Date('2026-12-01T09:59:00.000Z'),
  };
}

function memory(limits = { maxAgeMs: 1_000, maxEntries: 100 }) {
  const world = ledgerWorld();
  const recent = new RecentRecords(limits, world.deps.clock);
  const store = rememberingStore(world.store, recent);
  return { ...world, recent, remembering: store };
}

describe('RecentRecords', () => {
  it('keeps what a storage read found until it is older than the age limit', async () => {
    const { store, remembering, recent, advance } = memory();
    const customerId = newCustomerId();
    store.seed(record(customerId, [approved]));

    const read = await remembering.get(customerId);
    expect(recent.get(customerId)).toEqual(read);
    advance(999);
    expect(recent.get(customerId)?.value.qualifications).toEqual([approved]);
    advance(1);
    expect(recent.get(customerId)).toBeUndefined();
  });

  it('keeps at most maxEntries copies, dropping the least recently used', async () => {
    const { store, remembering, recent } = memory({ maxAgeMs: 1_000, maxEntries: 2 });
    const [a, b, c] = [newCustomerId(), newCustomerId(), newCustomerId()];
    for (const id of [a, b, c]) store.seed(record(id, [approved]));

    await remembering.get(a);
    await remembering.get(b);
    recent.get(a); // a is now the most recently used
    await remembering.get(c);

    expect(recent.get(a)).toBeDefined();
    expect(recent.get(b)).toBeUndefined();
    expect(recent.get(c)).toBeDefined();
  });

  it('keeps nothing with an age limit of 0', async () => {
    const { store, remembering, recent } = memory({ maxAgeMs: 0, maxEntries: 100 });
    const customerId = newCustomerId();
    store.seed(record(customerId, [approved]));
    await remembering.get(customerId);
    expect(recent.get(customerId)).toBeUndefined();
  });

  it("replaces the copy with this instance's own commit, and drops it on a lost race", async () => {
    const { store, remembering, recent } = memory();
    const customerId = newCustomerId();
    store.seed(record(customerId, [approved]));
    const read = await remembering.get(customerId);
    if (read === undefined) throw new Error('seeded');

    const next = record(customerId, [approved, { qualification: 'StateOwnedEntity' }]);
    const saved = await remembering.commit(next, read.etag, []);
    expect(saved.ok).toBe(true);
    expect(recent.get(customerId)?.value).toEqual(next);

    // The etag read first is no longer the stored one: the race is lost and the copy goes.
    expect(await remembering.commit(record(customerId, []), read.etag, [])).toEqual({ ok: false });
    expect(recent.get(customerId)).toBeUndefined();
  });

  it('drops the copy when a write fails, whatever storage then holds', async () => {
    const { store, recent } = memory();
    const remembering = rememberingStore(
      storeWith(store, { commit: () => Promise.reject(new Error('storage answered 500')) }),
      recent,
    );
    const customerId = newCustomerId();
    store.seed(record(customerId, [approved]));
    const read = await remembering.get(customerId);
    expect(recent.get(customerId)).toBeDefined();

    await expect(remembering.commit(record(customerId, []), read?.etag, [])).rejects.toThrow('500');
    expect(recent.get(customerId)).toBeUndefined();
  });

  it('does not keep what a read found when a write of this instance overlapped it', async () => {
    const { store, recent } = memory();
    // Storage answers the read at once, but the answer reaches the gateway late: the write
    // below lands in between, and the read then carries the record as it was before it.
    const remembering = rememberingStore(
      storeWith(store, {
        get: async (customerId) => {
          const found = await store.get(customerId);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return found;
        },
      }),
      recent,
    );
    const customerId = newCustomerId();
    store.seed(record(customerId, [approved]));
    const before = store.peek(customerId);
    const etag = (await store.get(customerId))?.etag;
    const next = record(customerId, [inReview]);

    const reading = remembering.get(customerId);
    const saved = await remembering.commit(next, etag, []);
    const read = await reading;

    expect(saved.ok).toBe(true);
    expect(read?.value).toEqual(before);
    expect(recent.get(customerId)?.value.qualifications).toEqual([inReview]);
  });
});

/** The store with some of its methods replaced. */
function storeWith(inner: CustomerStore, overrides: Partial<CustomerStore>): CustomerStore {
  return {
    get: (customerId) => inner.get(customerId),
    commit: (r, etag, history) => inner.commit(r, etag, history),
    commitFreshness: (r, etag) => inner.commitFreshness(r, etag),
    history: (customerId, limit) => inner.history(customerId, limit),
    ping: () => inner.ping(),
    ...overrides,
  };
}

describe('a cache hit with the memory of recent records', () => {
  function reads() {
    const world = memory();
    const partnerCenter = new FakePartnerCenter({
      answer: () => ({ ok: true, value: [approved] }),
    });
    const deps: GetCustomerQualificationsDeps = {
      ...world.deps,
      store: world.remembering,
      partnerCenter,
      cacheMaxAgeSeconds: 3_600,
      syncWriteIntervalMs: 0,
      liveReads: createLiveReads(),
      recentRecords: world.recent,
    };
    const { call } = recordingCall();
    const read = (customerId: CustomerId, refresh = false) =>
      getCustomerQualifications(deps, { customerId, refresh }, call);
    return { ...world, deps, partnerCenter, read, call };
  }

  it('is answered without a storage read; a refresh still reads storage', async () => {
    const { read, store, partnerCenter } = reads();
    const customerId = newCustomerId();
    await read(customerId); // a miss: Partner Center, then the record committed and remembered
    const readsBefore = store.reads;

    expect(await read(customerId)).toMatchObject({ kind: 'found', source: 'cache' });
    expect(store.reads).toBe(readsBefore);

    expect(await read(customerId, true)).toMatchObject({ source: 'partner-center' });
    expect(store.reads).toBe(readsBefore + 1);
    expect(partnerCenter.calls).toHaveLength(2);
  });

  it("shows this instance's own write at once", async () => {
    const { read, deps, call } = reads();
    const customerId = newCustomerId();
    await read(customerId);

    await updateRecord(
      deps,
      customerId,
      (current) => ({
        record: { ...current, qualifications: [approved, { qualification: 'StateOwnedEntity' }] },
        changes: [],
      }),
      call,
    );

    const hit = await read(customerId);
    expect(hit).toMatchObject({ source: 'cache' });
    expect(hit.kind === 'found' && hit.snapshot.qualifications).toHaveLength(2);
  });

  it('reads storage again once the copy is older than the age limit', async () => {
    const { read, store, advance } = reads();
    const customerId = newCustomerId();
    await read(customerId);
    const readsBefore = store.reads;

    advance(1_000);
    expect(await read(customerId)).toMatchObject({ source: 'cache' });
    expect(store.reads).toBe(readsBefore + 1);
  });
});
