import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import type { CallContext } from '../../shared/domain/ports.js';
import { silentLogger } from '../../shared/logging/logger.js';
import { BodyTooLargeError } from '../../shared/bounded-body.js';
import { CircuitBreaker } from '../../shared/partner-center/circuit-breaker.js';
import { MAX_ANSWER_BYTES } from '../../shared/partner-center/resilient-exchange.js';
import {
  PartnerCenterClient,
  type PartnerCenterClientOptions,
} from '../../shared/partner-center/partner-center-client.js';
import type {
  TransportAnswer,
  UpstreamTransport,
} from '../../shared/partner-center/upstream-transport.js';

const customerId = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' as CustomerId;
const call: CallContext = {
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  logger: silentLogger,
};
const LIST = [{ qualification: 'Education', vettingStatus: 'InReview' }];

const credential = (token: string): TokenCredential & { calls: number } => {
  const fake = {
    calls: 0,
    getToken: (): Promise<AccessToken> => {
      fake.calls++;
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
  return fake;
};

interface SentRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly maxBytes: number;
}

type Answer =
  TransportAnswer | 'hang' | Error | ((signal: AbortSignal) => Promise<TransportAnswer>);

/** A transport that answers from a script, one entry per request, and records what was sent. */
function scriptedTransport(script: readonly Answer[]) {
  const sent: SentRequest[] = [];
  const transport: UpstreamTransport = (request) => {
    const { signal } = request;
    sent.push({
      url: request.url.toString(),
      method: request.method,
      headers: { ...request.headers },
      body: request.body,
      maxBytes: request.maxBytes,
    });
    const answer = script[sent.length - 1] ?? new Error('no more answers scripted');
    if (answer instanceof Error) return Promise.reject(answer);
    if (answer === 'hang') {
      // Like the node:http transport: pending until the signal aborts, then rejects with its reason.
      return new Promise((_, reject) => {
        signal.addEventListener('abort', () => {
          reject(signal.reason as Error);
        });
      });
    }
    if (typeof answer === 'function') return answer(signal);
    return Promise.resolve(answer);
  };
  return { transport, sent };
}

const answer = (
  status: number,
  text: string,
  headers: Record<string, string> = {},
): TransportAnswer => ({ status, text, header: (name) => headers[name.toLowerCase()] });

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  answer(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });

function client(
  script: readonly Answer[],
  options: Partial<PartnerCenterClientOptions> = {},
): { pc: PartnerCenterClient; sent: SentRequest[]; breaker: CircuitBreaker } {
  const { transport, sent } = scriptedTransport(script);
  const breaker = new CircuitBreaker(100, 30);
  const pc = new PartnerCenterClient({
    baseUrl: new URL('https://api.partnercenter.microsoft.com'),
    appCredential: credential('app-token'),
    userCredential: () => credential('user-token'),
    scope: 'https://api.partnercenter.microsoft.com/.default',
    timeoutMs: 2000,
    attemptTimeoutMs: 1000,
    maxRetries: 3,
    retryBaseMs: 5,
    circuitBreaker: breaker,
    maxConcurrentCalls: 4,
    transport,
    ...options,
  });
  return { pc, sent, breaker };
}

const timed = async <T>(work: Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
};

describe('PartnerCenterClient', () => {
  it('reads qualifications with the app token and Partner Center headers', async () => {
    const { pc, sent } = client([json(200, LIST)]);
    const result = await pc.getQualifications(customerId, call);
    expect(result).toEqual({ ok: true, value: LIST });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: `https://api.partnercenter.microsoft.com/v1/customers/${customerId}/qualifications`,
      method: 'GET',
      maxBytes: MAX_ANSWER_BYTES,
    });
    expect(sent[0]?.headers).toMatchObject({
      authorization: 'Bearer app-token',
      'ms-correlationid': call.correlationId,
    });
    expect(sent[0]?.headers['ms-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('bulkhead', () => {
    it('refuses a call beyond maxConcurrentCalls at once, without sending it', async () => {
      const releases: (() => void)[] = [];
      const slow = (): Promise<TransportAnswer> =>
        new Promise((resolve) => {
          releases.push(() => {
            resolve(json(200, LIST));
          });
        });
      const { pc, sent, breaker } = client([slow, slow, json(200, LIST)], {
        maxConcurrentCalls: 2,
      });
      const first = pc.getQualifications(customerId, call);
      const second = pc.getQualifications(customerId, call);

      // The slow calls are held until released below: queued behind them, this one would never
      // be answered, so its answer proves the refusal came at once.
      const third = await pc.getQualifications(customerId, call);
      expect(third).toEqual({ ok: false, failure: { kind: 'saturated', retryAfterSeconds: 1 } });
      await expect.poll(() => sent.length).toBe(2);
      expect(breaker.isOpen).toBe(false);

      for (const release of releases) release();
      expect((await first).ok).toBe(true);
      expect((await second).ok).toBe(true);
      // The permits came back: the next call goes out.
      expect((await pc.getQualifications(customerId, call)).ok).toBe(true);
      expect(sent).toHaveLength(3);
    });

    it('gives the permit back when a call fails', async () => {
      const { pc, sent } = client([json(404, {}), json(200, LIST)], { maxConcurrentCalls: 1 });
      expect((await pc.getQualifications(customerId, call)).ok).toBe(false);
      expect((await pc.getQualifications(customerId, call)).ok).toBe(true);
      expect(sent).toHaveLength(2);
    });
  });

  it('does not follow a redirect: unavailable, no second request', async () => {
    const redirect = answer(302, '', { location: 'https://attacker.example/steal' });
    const { pc, sent } = client([redirect, json(200, LIST)]);
    const result = await pc.getQualifications(customerId, call);
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 302, reason: 'redirect not followed' },
      outcomeUnknown: true,
    });
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['invalid JSON', answer(200, '<html>oops</html>')],
    ['an object instead of a list', json(200, { items: LIST })],
    ['a qualification without a name', json(200, [{ vettingStatus: 'Approved' }])],
    ['a numeric status', json(200, [{ qualification: 'Education', vettingStatus: 3 }])],
  ])('treats %s as an invalid response, not retried', async (_, response) => {
    const { pc, sent } = client([response, json(200, LIST)]);
    const result = await pc.getQualifications(customerId, call);
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, reason: 'invalid response' },
      outcomeUnknown: true,
    });
    expect(sent).toHaveLength(1);
  });

  it('does not read an answer larger than any Partner Center documents: invalid, not retried', async () => {
    // The transport refuses the body past the bound it is given (node-http-transport.test.ts).
    const { pc, sent } = client([new BodyTooLargeError(MAX_ANSWER_BYTES), json(200, LIST)]);
    const result = await pc.getQualifications(customerId, call);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', reason: 'invalid response' },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.maxBytes).toBe(MAX_ANSWER_BYTES);
  });

  it.each([401, 403])('answers %i as rejected, without retrying', async (status) => {
    const { pc, sent } = client([
      json(status, { code: 600, description: 'The token is not valid' }),
      json(200, LIST),
    ]);
    const result = await pc.getQualifications(customerId, call);
    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'rejected',
        status,
        code: 600,
        description: 'The token is not valid',
        identity: 'app-only',
      },
    });
    expect(sent).toHaveLength(1);
  });

  it('keeps numeric and string ApiFault codes, falls back to the message, and keeps plain text', async () => {
    const { pc } = client([
      json(404, { code: 60003, description: 'Customer not found' }),
      json(400, { code: 'InvalidInput', message: 'Bad website' }),
      answer(400, 'Bad Request'),
    ]);
    expect(await pc.getQualifications(customerId, call)).toEqual({
      ok: false,
      failure: {
        kind: 'rejected',
        status: 404,
        code: 60003,
        description: 'Customer not found',
        identity: 'app-only',
      },
    });
    expect(await pc.getQualifications(customerId, call)).toEqual({
      ok: false,
      failure: {
        kind: 'rejected',
        status: 400,
        code: 'InvalidInput',
        description: 'Bad website',
        identity: 'app-only',
      },
    });
    expect(await pc.getQualifications(customerId, call)).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, description: 'Bad Request', identity: 'app-only' },
    });
  });

  it('retries a POST after a 5xx and a network error with the same MS-RequestId', async () => {
    const created = { qualification: 'Education', vettingStatus: 'InReview' };
    const { pc, sent } = client([
      json(503, {}),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      json(201, created),
    ]);
    const result = await pc.createQualification(
      customerId,
      { qualification: 'Education', educationSegment: 'K12' },
      'request-42',
      call,
    );
    expect(result).toEqual({ ok: true, value: created });
    expect(sent.map((r) => [r.method, r.headers['ms-requestid']])).toEqual([
      ['POST', 'request-42'],
      ['POST', 'request-42'],
      ['POST', 'request-42'],
    ]);
    expect(sent[0]?.headers.authorization).toBe('Bearer user-token');
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent[2]?.body ?? '')).toEqual({
      qualification: 'Education',
      educationSegment: 'K12',
    });
  });

  it('retries a GET with one MS-RequestId, at most maxRetries times', async () => {
    const { pc, sent } = client(
      Array.from({ length: 6 }, () => json(500, {})),
      {
        maxRetries: 2,
      },
    );
    const result = await pc.getQualifications(customerId, call);
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 500, reason: 'status 500' },
      outcomeUnknown: true,
    });
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((r) => r.headers['ms-requestid'])).size).toBe(1);
  });

  describe('throttling', () => {
    const tooMany = (retryAfter: string) =>
      json(429, { code: 429, description: 'Rate limit' }, { 'retry-after': retryAfter });

    it('with waitOnThrottle false, returns throttled at once even when the wait would fit', async () => {
      const { pc, sent } = client([tooMany('1'), json(200, LIST)], { timeoutMs: 5000 });
      const { result, ms } = await timed(
        pc.getQualifications(customerId, { ...call, waitOnThrottle: false }),
      );
      expect(result).toEqual({ ok: false, failure: { kind: 'throttled', retryAfterSeconds: 1 } });
      expect(sent).toHaveLength(1);
      expect(ms).toBeLessThan(900); // did not wait out the one second
    });

    it('returns throttled without waiting when Retry-After passes the deadline', async () => {
      const { pc, sent } = client([tooMany('5'), json(200, LIST)], { timeoutMs: 2000 });
      const { result, ms } = await timed(pc.getQualifications(customerId, call));
      expect(result).toEqual({ ok: false, failure: { kind: 'throttled', retryAfterSeconds: 5 } });
      expect(sent).toHaveLength(1);
      expect(ms).toBeLessThan(1_500); // did not wait out the five seconds, nor the deadline
    });

    it('waits out a Retry-After that fits the deadline, then asks again', async () => {
      const { pc, sent } = client([tooMany('1'), json(200, LIST)], { timeoutMs: 3000 });
      const { result, ms } = await timed(pc.getQualifications(customerId, call));
      expect(result).toEqual({ ok: true, value: LIST });
      expect(sent).toHaveLength(2);
      expect(ms).toBeGreaterThanOrEqual(990);
      expect(sent[1]?.headers['ms-requestid']).toBe(sent[0]?.headers['ms-requestid']);
    });
  });

  describe('deadlines', () => {
    it('retries after an attempt timeout, with the same MS-RequestId', async () => {
      const { pc, sent } = client(['hang', json(200, LIST)], {
        attemptTimeoutMs: 100,
        timeoutMs: 2000,
      });
      const { result, ms } = await timed(pc.getQualifications(customerId, call));
      expect(result).toEqual({ ok: true, value: LIST });
      expect(sent).toHaveLength(2);
      expect(sent[1]?.headers['ms-requestid']).toBe(sent[0]?.headers['ms-requestid']);
      expect(ms).toBeGreaterThanOrEqual(95);
      expect(ms).toBeLessThan(1000);
    });

    it('gives up with a timeout when the whole call passes its deadline', async () => {
      const { pc, sent } = client(['hang', 'hang', 'hang', 'hang'], {
        attemptTimeoutMs: 150,
        timeoutMs: 250,
        circuitBreaker: new CircuitBreaker(1, 30),
      });
      const { result, ms } = await timed(pc.getQualifications(customerId, call));
      expect(result).toEqual({ ok: false, failure: { kind: 'timeout' }, outcomeUnknown: true });
      expect(ms).toBeLessThan(600);
      expect(sent.length).toBeLessThanOrEqual(2);
      // A timeout counts as a failure for the circuit breaker (threshold 1 here).
      expect(pc.health().partnerCenter).toBe('fail');
    });
  });
});
