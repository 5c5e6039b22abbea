import type { HttpResponseInit } from '@azure/functions';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../shared/domain/ports.js';
import { idempotently, type IdempotentRequest } from '../../../shared/http/idempotent-request.js';
import { problemResponse, type Problem } from '../../../shared/http/problem.js';
import type { LogProperties } from '../../../shared/logging/logger.js';
import { InMemoryIdempotencyStore } from '../fakes/idempotency-store.js';

const CUSTOMER = '6f9e3a1c-8d2b-4c7e-9a5f-1b3d5e7f9a2c';
const EDUCATION = { qualification: 'Education', educationSegment: 'K12' };

/** What the handler would answer; counts its runs and the MS-RequestIds it was given. */
function handler(answer: HttpResponseInit | (() => never)) {
  const requestIds: string[] = [];
  const execute = (requestId: string): Promise<HttpResponseInit> => {
    requestIds.push(requestId);
    return typeof answer === 'function' ? Promise.resolve(answer()) : Promise.resolve(answer);
  };
  return { execute, requestIds };
}

const createdHeaders = { 'content-type': 'application/json; charset=utf-8', location: '/q' };
const created: HttpResponseInit = {
  status: 201,
  headers: createdHeaders,
  body: JSON.stringify({ qualification: 'Education', vettingStatus: 'InReview' }),
};
const throttled: HttpResponseInit = { status: 503, headers: { 'retry-after': '5' }, body: '{}' };

describe('idempotently', () => {
  let store: InMemoryIdempotencyStore;
  let errors: { message: string; properties: LogProperties | undefined }[];
  let scope: Parameters<typeof idempotently>[2];
  const request = (key: string | undefined, content: unknown = EDUCATION): IdempotentRequest => ({
    scope: CUSTOMER,
    key,
    content,
  });

  beforeEach(() => {
    store = new InMemoryIdempotencyStore();
    errors = [];
    const call: CallContext = {
      correlationId: 'c0ffee00-0000-4000-8000-000000000000',
      logger: {
        info: () => undefined,
        warn: () => undefined,
        error: (message, properties) => errors.push({ message, properties }),
      },
    };
    scope = { call, caller: undefined, problem: (p: Problem) => problemResponse(p, 'corr') };
  });

  it('runs the request with a fresh MS-RequestId and no bookkeeping when there is no key', async () => {
    const first = handler(created);
    await idempotently(store, request(undefined), scope, first.execute);
    await idempotently(store, request(undefined), scope, first.execute);

    expect(first.requestIds).toHaveLength(2);
    expect(new Set(first.requestIds).size).toBe(2);
    expect(store.calls).toEqual([]);
  });

  it('keeps a final answer and replays it, marked, without running the request again', async () => {
    const run = handler(created);
    const answer = await idempotently(store, request('k1'), scope, run.execute);
    const repeat = await idempotently(store, request('k1'), scope, run.execute);

    expect(run.requestIds).toHaveLength(1);
    expect(answer).toBe(created);
    expect(repeat).toEqual({
      status: 201,
      headers: { ...createdHeaders, 'idempotent-replayed': 'true' },
      body: created.body,
    });
  });

  it('matches the content whatever the order of its properties', async () => {
    const run = handler(created);
    await idempotently(store, request('k1'), scope, run.execute);
    const reordered = { educationSegment: 'K12', qualification: 'Education' };
    const repeat = await idempotently(store, request('k1', reordered), scope, run.execute);

    expect(repeat.status).toBe(201);
    expect(run.requestIds).toHaveLength(1);
  });

  it('refuses the key reused for another request with 422, and runs nothing', async () => {
    const run = handler(created);
    await idempotently(store, request('k1'), scope, run.execute);
    const other = await idempotently(
      store,
      request('k1', { qualification: 'StateOwnedEntity' }),
      scope,
      run.execute,
    );

    expect(other.status).toBe(422);
    expect(run.requestIds).toHaveLength(1);
  });

  it('answers 409 with Retry-After while the first request with the key still runs', async () => {
    let finish: (response: HttpResponseInit) => void = () => undefined;
    const slow = idempotently(store, request('k1'), scope, () => new Promise((r) => (finish = r)));
    await Promise.resolve();
    const second = await idempotently(store, request('k1'), scope, handler(created).execute);
    finish(created);
    await slow;

    expect(second.status).toBe(409);
    expect(new Headers(second.headers).get('retry-after')).toBe('1');
  });

  it.each([401, 403, 429, 502, 503, 504])(
    'lets a repeat run again after a %i, with the same MS-RequestId',
    async (status) => {
      const first = handler({ ...throttled, status });
      const second = handler(created);
      await idempotently(store, request('k1'), scope, first.execute);
      const repeat = await idempotently(store, request('k1'), scope, second.execute);

      expect(store.calls).toEqual(['claim', 'release', 'claim', 'complete']);
      expect(repeat.status).toBe(201);
      expect(second.requestIds).toEqual(first.requestIds);
    },
  );

  it.each([400, 404, 409])('keeps a %i as final', async (status) => {
    const run = handler({ status, body: '{}' });
    await idempotently(store, request('k1'), scope, run.execute);
    const repeat = await idempotently(store, request('k1'), scope, run.execute);

    expect(repeat.status).toBe(status);
    expect(run.requestIds).toHaveLength(1);
  });

  it('releases the key when the request throws, so a repeat runs with the same MS-RequestId', async () => {
    const failing = handler(() => {
      throw new Error('storage down');
    });
    await expect(idempotently(store, request('k1'), scope, failing.execute)).rejects.toThrow(
      'storage down',
    );
    const retry = handler(created);
    await idempotently(store, request('k1'), scope, retry.execute);

    expect(retry.requestIds).toEqual(failing.requestIds);
  });

  it("still answers when the key's record cannot be settled, and logs it once", async () => {
    store.failSettling = true;
    const answer = await idempotently(store, request('k1'), scope, handler(created).execute);

    expect(answer).toBe(created);
    expect(errors.map((e) => e.message)).toEqual(['Could not settle the Idempotency-Key record']);
  });

  it("never gives one caller another caller's answer for the same key", async () => {
    const alice = { ...scope, caller: { subject: 'alice', appId: 'erp' } };
    const bob = { ...scope, caller: { subject: 'bob', appId: 'erp' } };
    const forAlice = handler(created);
    const forBob = handler({ ...created, body: '{"for":"bob"}' });
    await idempotently(store, request('shared-key'), alice, forAlice.execute);
    const answer = await idempotently(store, request('shared-key'), bob, forBob.execute);

    expect(forBob.requestIds).toHaveLength(1);
    expect(answer.body).toBe('{"for":"bob"}');
  });
});
