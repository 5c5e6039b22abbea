import { describe, expect, it } from 'vitest';
import {
  createLiveReads,
  getCustomerQualifications,
  type GetCustomerQualificationsDeps,
} from '../../../shared/application/get-customer-qualifications.js';
import type { CustomerId } from '../../../shared/domain/customer-id.js';
import { emptyRecord } from '../../../shared/domain/customer-record.js';
import type { Qualification } from '../../../shared/domain/qualification.js';
import type { UpstreamFailure } from '../../../shared/domain/upstream.js';
import { FakePartnerCenter, type QualificationsAnswer } from '../fakes/partner-center.js';
import { ledgerWorld, newCustomerId, recordingCall } from './world.js';

const approved: Qualification = { qualification: 'Education', vettingStatus: 'Approved' };
const MAX_AGE_SECONDS = 3_600;
const failing = (failure: UpstreamFailure): QualificationsAnswer => ({ ok: false, failure });

function reads(
  answer: () => QualificationsAnswer = () => ({ ok: true, value: [approved] }),
  syncWriteIntervalMs = 0,
) {
  const world = ledgerWorld();
  const partnerCenter = new FakePartnerCenter({ answer, delayMs: 5 });
  const deps: GetCustomerQualificationsDeps = {
    ...world.deps,
    partnerCenter,
    cacheMaxAgeSeconds: MAX_AGE_SECONDS,
    syncWriteIntervalMs,
    liveReads: createLiveReads(),
  };
  const { call } = recordingCall();
  const read = (customerId: CustomerId, refresh = false) =>
    getCustomerQualifications(deps, { customerId, refresh }, call);
  return { ...world, deps, partnerCenter, read };
}

describe('getCustomerQualifications', () => {
  it('reads Partner Center on a miss and records it; a young copy is then served with no call', async () => {
    const { read, partnerCenter, store } = reads();
    const customerId = newCustomerId();

    const first = await read(customerId);
    const second = await read(customerId);

    expect(first).toMatchObject({ kind: 'found', source: 'partner-center', stale: false });
    expect(second).toMatchObject({ kind: 'found', source: 'cache', stale: false });
    expect(partnerCenter.calls).toHaveLength(1);
    expect(store.peek(customerId)?.qualifications).toEqual([approved]);
  });

  it('reads Partner Center again once the copy is older than the maximum age, or on refresh', async () => {
    const { read, partnerCenter, advance } = reads();
    const customerId = newCustomerId();
    await read(customerId);

    await read(customerId, true);
    advance(MAX_AGE_SECONDS * 1000);
    await read(customerId);

    expect(partnerCenter.calls).toHaveLength(3);
  });

  it('serves the last known copy as stale while Partner Center is unavailable', async () => {
    let answer: QualificationsAnswer = { ok: true, value: [approved] };
    const { read, advance } = reads(() => answer);
    const customerId = newCustomerId();
    await read(customerId);
    advance(MAX_AGE_SECONDS * 1000);
    answer = failing({ kind: 'unavailable', reason: 'HTTP 503' });

    expect(await read(customerId)).toMatchObject({ kind: 'found', source: 'cache', stale: true });
  });

  it('passes a refusal on even with a copy in hand, and an outage when there is none', async () => {
    let answer: QualificationsAnswer = { ok: true, value: [approved] };
    const { read } = reads(() => answer);
    const known = newCustomerId();
    await read(known);
    const refusal: UpstreamFailure = {
      kind: 'rejected',
      status: 403,
      code: 20002,
      description: 'no relationship',
    };
    answer = failing(refusal);

    expect(await read(known, true)).toEqual({ kind: 'upstream-failed', failure: refusal });
    answer = failing({ kind: 'timeout' });
    expect(await read(newCustomerId())).toEqual({
      kind: 'upstream-failed',
      failure: { kind: 'timeout' },
    });
  });

  it('always reads live for a customer with a submission in flight, however young the copy', async () => {
    const { read, partnerCenter, store, now } = reads();
    const customerId = newCustomerId();
    store.seed({
      ...emptyRecord(customerId),
      qualifications: [],
      lastSyncedAt: now(),
      openSubmissions: [
        {
          requestId: 'r-1',
          qualification: 'Education',
          submittedAt: now().toISOString(),
          correlationId: 'c-1',
        },
      ],
    });

    expect(await read(customerId)).toMatchObject({ source: 'partner-center' });
    expect(partnerCenter.calls).toHaveLength(1);
  });

  it('shares one Partner Center call among concurrent reads of a customer', async () => {
    const { read, partnerCenter } = reads();
    const customerId = newCustomerId();

    const answers = await Promise.all([read(customerId), read(customerId), read(customerId)]);

    expect(answers.every((a) => a.kind === 'found')).toBe(true);
    expect(partnerCenter.calls).toHaveLength(1);
  });

  it('still answers from Partner Center when the cache cannot be read, and writes nothing', async () => {
    const { read, store } = reads();
    const customerId = newCustomerId();
    store.get = () => Promise.reject(new Error('storage down'));

    expect(await read(customerId)).toMatchObject({ kind: 'found', source: 'partner-center' });
    expect(store.commits).toBe(0);
  });

  it('still answers when recording the read fails', async () => {
    const { read, store } = reads();
    const customerId = newCustomerId();
    store.commit = () => Promise.reject(new Error('storage down'));

    expect(await read(customerId)).toMatchObject({
      kind: 'found',
      source: 'partner-center',
      snapshot: { qualifications: [approved] },
    });
  });

  it('records a live read that found nothing new as lastSyncedAt alone, with one read', async () => {
    const { read, store, advance, now } = reads();
    const customerId = newCustomerId();
    await read(customerId);
    const before = store.peek(customerId);
    const [readsBefore, commitsBefore] = [store.reads, store.commits];

    advance(1_000);
    expect(await read(customerId, true)).toMatchObject({ source: 'partner-center' });

    expect(store.reads).toBe(readsBefore + 1);
    expect(store.commits).toBe(commitsBefore + 1);
    expect(store.freshnessCommits).toBe(1);
    expect(store.peek(customerId)).toEqual({ ...before, lastSyncedAt: now() });
  });

  it('writes the whole record when more than freshness changed', async () => {
    let answer: Qualification[] = [approved];
    const { read, store, advance } = reads(() => ({ ok: true, value: answer }));
    const customerId = newCustomerId();
    await read(customerId);

    advance(1_000);
    answer = [approved, { qualification: 'StateOwnedEntity' }];
    await read(customerId, true);

    expect(store.freshnessCommits).toBe(0);
    expect(store.peek(customerId)?.qualifications).toEqual(answer);
  });

  describe('with a sync write interval', () => {
    const INTERVAL_MS = 10_000;
    const confirming = () => reads(undefined, INTERVAL_MS);

    it('writes nothing for a live read that confirms a record synced less than the interval ago, and answers when it asked', async () => {
      const { read, store, advance, now } = confirming();
      const customerId = newCustomerId();
      await read(customerId);
      const before = store.peek(customerId);
      const commitsBefore = store.commits;

      advance(INTERVAL_MS - 1);
      const answer = await read(customerId, true);

      expect(answer).toMatchObject({ kind: 'found', source: 'partner-center', stale: false });
      expect(answer.kind === 'found' && answer.snapshot.lastSyncedAt).toEqual(now());
      expect(store.commits).toBe(commitsBefore);
      expect(store.peek(customerId)).toEqual(before);
    });

    it('writes the confirmation once the stored lastSyncedAt is as old as the interval', async () => {
      const { read, store, advance, now } = confirming();
      const customerId = newCustomerId();
      await read(customerId);

      advance(INTERVAL_MS);
      await read(customerId, true);

      expect(store.freshnessCommits).toBe(1);
      expect(store.peek(customerId)?.lastSyncedAt).toEqual(now());
    });

    it('writes at once whatever more than freshness a live read brings', async () => {
      let answer: Qualification[] = [approved];
      const { read, store, advance } = reads(() => ({ ok: true, value: answer }), INTERVAL_MS);
      const customerId = newCustomerId();
      await read(customerId);

      advance(1);
      answer = [approved, { qualification: 'StateOwnedEntity' }];
      await read(customerId, true);

      expect(store.peek(customerId)?.qualifications).toEqual(answer);
    });
  });
});
