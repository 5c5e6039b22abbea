import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type * as z from 'zod/mini';
import type { CallContext, Clock } from '../domain/ports.js';
import type { UpstreamFailure, UpstreamResult } from '../domain/upstream.js';
import { BodyTooLargeError } from '../bounded-body.js';
import { describeError } from '../logging/redact.js';
import { backoffDelayMs, sleep } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { CredentialGuard } from './credential-guard.js';
import { interpretAnswer, type AttemptOutcome } from './upstream-answer.js';
import { upstreamHeaders } from './upstream-headers.js';
import type { TransportAnswer, UpstreamTransport } from './upstream-transport.js';

/**
 * The largest answer read from Partner Center. Its documented answers are a few kilobytes (a
 * customer's handful of qualifications, the partner's validation codes); anything near this is
 * not one of them, and must not fill the instance's memory.
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface ResilientExchangeOptions {
  /** Scheme and host of Partner Center; every request goes here and nowhere else. */
  readonly baseUrl: URL;
  readonly scope: string;
  /** Deadline of one call, retries and waits included. */
  readonly timeoutMs: number;
  /** Deadline of one attempt, so that a hung attempt leaves time for a retry. */
  readonly attemptTimeoutMs: number;
  /** Retries after a 5xx, a network error or an attempt timeout (a POST keeps its MS-RequestId). */
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  /** Guards Partner Center itself: only its own answers count, never a credential's failure. */
  readonly circuitBreaker: CircuitBreaker;
  /** Calls in flight at once; more are refused at once (bulkhead) rather than queued. */
  readonly maxConcurrentCalls: number;
  readonly transport: UpstreamTransport;
  readonly clock: Clock;
}

/** What one call sends, and with which identity. */
export interface UpstreamRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly credential: TokenCredential;
  readonly guard: CredentialGuard;
  readonly body?: unknown;
}

/** One logical call in flight: what it sends, how its answer is read, and what binds its attempts. */
interface Exchange<T> extends UpstreamRequest {
  readonly schema: z.ZodMiniType<T>;
  readonly call: CallContext;
  /** The same on every attempt: Partner Center treats a repeat as the same operation. */
  readonly requestId: string;
  /** The call's deadline (and the caller's abort). */
  readonly signal: AbortSignal;
}

/**
 * One Partner Center call made resilient: a bulkhead and the circuit breaker before it, a
 * deadline over it, retries with backoff (or after Retry-After) under one MS-RequestId, each
 * attempt with a deadline of its own, and the answer validated against `schema`.
 */
export class ResilientExchange {
  private inFlight = 0;

  constructor(private readonly options: ResilientExchangeOptions) {}

  async send<T>(
    request: UpstreamRequest,
    schema: z.ZodMiniType<T>,
    call: CallContext,
    requestId: string = randomUUID(),
  ): Promise<UpstreamResult<T>> {
    const { circuitBreaker, maxConcurrentCalls } = this.options;
    if (this.inFlight >= maxConcurrentCalls) {
      call.logger.warn('Partner Center call refused: too many in flight', {
        inFlight: this.inFlight,
      });
      return { ok: false, failure: { kind: 'saturated', retryAfterSeconds: 1 } };
    }
    const permit = circuitBreaker.tryAcquire();
    if (!permit.allowed) {
      return {
        ok: false,
        failure: { kind: 'circuit-open', retryAfterSeconds: permit.retryAfterSeconds },
      };
    }
    this.inFlight += 1;
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
    try {
      const result = await this.withRetries({ ...request, schema, call, requestId, signal });
      this.recordHealth(result);
      return result;
    } finally {
      this.inFlight -= 1;
    }
  }

  private recordHealth(result: UpstreamResult<unknown>): void {
    const { circuitBreaker } = this.options;
    // A token that could not be had says nothing about Partner Center: neutral.
    if (result.ok || result.failure.kind === 'rejected') circuitBreaker.recordSuccess();
    else if (result.failure.kind === 'unavailable' || result.failure.kind === 'timeout') {
      circuitBreaker.recordFailure();
    } else circuitBreaker.recordNeutral();
  }

  private async withRetries<T>(exchange: Exchange<T>): Promise<UpstreamResult<T>> {
    const { call, signal } = exchange;
    const { clock } = this.options;
    const startedAt = clock.now().getTime();
    // What Partner Center itself last said: a retry that then cannot get a token must not hide
    // that an earlier attempt reached it (a lost POST answer may have been applied).
    let reached: UpstreamFailure | undefined;
    let outcomeUnknown = false;
    const failed = (failure: UpstreamFailure): UpstreamResult<T> => ({
      ok: false,
      failure,
      ...(outcomeUnknown && { outcomeUnknown }),
    });
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attemptOnce(exchange);
      if (outcome.ok) return outcome;
      const failure =
        outcome.failure.kind === 'credential-unavailable' && reached !== undefined
          ? reached
          : outcome.failure;
      if (outcome.failure.kind !== 'credential-unavailable') reached = outcome.failure;
      if (outcome.failure.kind === 'timeout' || outcome.failure.kind === 'unavailable') {
        outcomeUnknown = true;
      }
      const retriesLeft = attempt <= this.options.maxRetries;
      const remainingMs = this.options.timeoutMs - (clock.now().getTime() - startedAt);
      let waitMs: number | undefined;
      if (failure.kind === 'throttled') {
        if (call.waitOnThrottle === false) return failed(failure);
        waitMs = failure.retryAfterSeconds * 1000;
      } else if (outcome.retryable) waitMs = backoffDelayMs(attempt, this.options.retryBaseMs);
      if (waitMs === undefined || !retriesLeft || waitMs >= remainingMs || signal.aborted) {
        return failed(failure);
      }
      call.logger.warn('Partner Center call failed; retrying', {
        method: exchange.method,
        path: exchange.path,
        attempt,
        failure: failure.kind,
        waitMs,
      });
      try {
        await sleep(waitMs, signal);
      } catch {
        return failed({ kind: 'timeout' });
      }
    }
  }

  private async attemptOnce<T>(exchange: Exchange<T>): Promise<AttemptOutcome<T>> {
    const { call, signal, body } = exchange;
    const attemptSignal = AbortSignal.any([
      signal,
      AbortSignal.timeout(this.options.attemptTimeoutMs),
    ]);
    const token = await exchange.guard.token(exchange.credential, this.options.scope, {
      attemptSignal,
      callSignal: signal,
      logger: call.logger,
    });
    if (!token.ok) return token;
    let answer: TransportAnswer;
    try {
      answer = await this.options.transport({
        method: exchange.method,
        url: new URL(exchange.path, this.options.baseUrl),
        headers: upstreamHeaders(token.token, exchange.requestId, call, body !== undefined),
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: attemptSignal,
        maxBytes: MAX_ANSWER_BYTES,
      });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        call.logger.error('Partner Center answer is larger than any it documents; not read', {
          path: exchange.path,
          maxBytes: MAX_ANSWER_BYTES,
        });
        return {
          ok: false,
          failure: { kind: 'unavailable', reason: 'invalid response' },
          retryable: false,
        };
      }
      if (signal.aborted) return { ok: false, failure: { kind: 'timeout' }, retryable: false };
      // A POST whose answer was lost may have been applied: only the same MS-RequestId is safe,
      // and every retry here carries it.
      if (attemptSignal.aborted)
        return { ok: false, failure: { kind: 'timeout' }, retryable: true };
      call.logger.warn('Partner Center unreachable', { error: describeError(error) });
      return {
        ok: false,
        failure: { kind: 'unavailable', reason: 'network error' },
        retryable: true,
      };
    }
    return interpretAnswer(answer, exchange.schema, {
      logger: call.logger,
      path: exchange.path,
      identity: exchange.guard.identity,
      now: this.options.clock.now(),
    });
  }
}
