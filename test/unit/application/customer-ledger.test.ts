import { describe, expect, it } from 'vitest';
import { applyObservation } from '../../../shared/application/apply-observation.js';
import { updateRecord } from '../../../shared/application/customer-ledger.js';
import { emptyRecord } from '../../../shared/domain/customer-record.js';
import type { Qualification } from '../../../shared/domain/qualification.js';
import { ledgerWorld, newCustomerId, recordingCall } from './world.js';

const CREATED = '2026-11-20T08:00:00.000Z';
const inReview: Qualification = {
  qualification: 'Education',
  vettingStatus: 'InReview',
  vettingCreateDate: CREATED,
};
const approved: Qualification = { ...inReview, vettingStatus: 'Approved', vettingReason: 'Ok' };

describe('the customer ledger', () => {
  it('learns a customer on its first read without recording a change it did not see', async () => {
    const { deps, store, publisher, now } = ledgerWorld();
    const customerId = newCustomerId();
    const { call } = recordingCall();

    await updateRecord(deps, customerId, applyObservation([approved], now(), 'read'), call);

    expect(store.peek(customerId)?.qualifications).toEqual([approved]);
    expect(await store.history(customerId, 10)).toEqual([]);
    expect(publisher.published).toEqual([]);
  });

  it('records a change it sees with its trigger: one history row, one event', async () => {
    const { deps, store, publisher, now, advance } = ledgerWorld();
    const customerId = newCustomerId();
    const { call } = recordingCall();
    await updateRecord(deps, customerId, applyObservation([inReview], now(), 'read'), call);
    advance(60_000);

    await updateRecord(deps, customerId, applyObservation([approved], now(), 'refresh'), call);

    expect(await store.history(customerId, 10)).toEqual([
      expect.objectContaining({ from: 'InReview', to: 'Approved', trigger: 'refresh' }),
    ]);
    expect(publisher.published).toHaveLength(1);
    expect(store.peek(customerId)?.unpublishedEvents).toEqual([]);
  });

  it('never lets an older observation overwrite a newer one', async () => {
    const { deps, store, now, advance } = ledgerWorld();
    const customerId = newCustomerId();
    const { call } = recordingCall();
    const askedEarlier = now();
    advance(1_000);
    await updateRecord(deps, customerId, applyObservation([inReview], now(), 'read'), call);
    await updateRecord(deps, customerId, applyObservation([approved], now(), 'read'), call);

    await updateRecord(deps, customerId, applyObservation([inReview], askedEarlier, 'read'), call);

    expect(store.peek(customerId)?.qualifications).toEqual([approved]);
  });

  it('keeps the stored status against an illegal transition, and warns once', async () => {
    const { deps, store, now, advance } = ledgerWorld();
    const customerId = newCustomerId();
    const { call, lines } = recordingCall();
    await updateRecord(deps, customerId, applyObservation([approved], now(), 'read'), call);
    advance(1_000);

    await updateRecord(deps, customerId, applyObservation([inReview], now(), 'read'), call);

    expect(store.peek(customerId)?.qualifications).toEqual([approved]);
    expect(lines.filter((l) => l.message.includes('illegal vetting transition'))).toHaveLength(1);
  });

  it('decides again after a lost race, and logs the decision warnings once, after the commit', async () => {
    const { deps, store, now } = ledgerWorld();
    const customerId = newCustomerId();
    store.seed({ ...emptyRecord(customerId), qualifications: [approved], lastSyncedAt: now() });
    const { call, lines } = recordingCall();
    let decisions = 0;
    const stale = await store.get(customerId);
    // Another writer commits between this writer's read and its write.
    store.seed({ ...emptyRecord(customerId), qualifications: [approved], lastSyncedAt: now() });
    const observe = applyObservation(
      [{ ...inReview, vettingStatus: 'Revoked?' }],
      new Date(now().getTime() + 1),
      'read',
    );

    await updateRecord(
      deps,
      customerId,
      (record) => {
        decisions++;
        return observe(record);
      },
      call,
      stale === undefined ? undefined : { value: stale.value, etag: stale.etag },
    );

    expect(decisions).toBe(2);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'Partner Center reported a vetting status the gateway does not know; kept as data',
    ]);
  });

  it('lets twenty writers racing for one record all commit, taking turns instead of giving up', async () => {
    // Every round trip takes 20–60 ms, as a table's under load: most writers lose most races.
    const { deps, store } = ledgerWorld(undefined, () => 20 + Math.random() * 40);
    const customerId = newCustomerId();
    store.seed(emptyRecord(customerId));
    const { call } = recordingCall();
    const writers = Array.from({ length: 20 }, (_, i) => `writer-${String(i)}`);

    await Promise.all(
      writers.map((requestId) =>
        updateRecord(
          deps,
          customerId,
          (record) => ({
            record: {
              ...record,
              openSubmissions: [
                ...record.openSubmissions,
                {
                  requestId,
                  qualification: 'Education',
                  submittedAt: CREATED,
                  correlationId: requestId,
                },
              ],
            },
            changes: [],
          }),
          call,
        ),
      ),
    );

    expect(
      store
        .peek(customerId)
        ?.openSubmissions.map((s) => s.requestId)
        .sort(),
    ).toEqual([...writers].sort());
  });

  it('marks the customer for the timer before the commit that leaves it pending', async () => {
    const { deps, workQueue, now } = ledgerWorld();
    const customerId = newCustomerId();
    const { call } = recordingCall();

    await updateRecord(deps, customerId, applyObservation([inReview], now(), 'read'), call);

    expect(workQueue.has(customerId)).toBe(true);
  });
});
