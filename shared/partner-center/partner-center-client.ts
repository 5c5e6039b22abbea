import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { z } from 'zod';
import type { CustomerId } from '../domain/customer-id.js';
import type { CallContext, PartnerCenter } from '../domain/ports.js';
import type { Qualification } from '../domain/qualification.js';
import type {
  PartnerCenterHealth,
  PartnerCenterIdentity,
  UpstreamFailure,
  UpstreamResult,
} from '../domain/upstream.js';
import type { ValidationCode } from '../domain/validation-code.js';
import { backoffDelayMs, sleep } from './backoff.js';
import { describeError } from '../logging/redact.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { CredentialGuard } from './credential-guard.js';
import { interpretAnswer, type AttemptOutcome } from './upstream-answer.js';
import { upstreamHeaders } from './upstream-headers.js';
import type { QualificationRequest } from '../domain/qualification-request.js';
import {
  upstreamQualificationListSchema,
  upstreamQualificationSchema,
  upstreamValidationCodeListSchema,
} from './response-schemas.js';

export interface PartnerCenterClientOptions {
  /** Scheme and host of Partner Center; every request goes here and nowhere else. */
  readonly baseUrl: URL;
  /** App-only identity: reads and the timer. */
  readonly appCredential: TokenCredential;
  /** App+User identity for submissions; undefined when none is configured. */
  readonly userCredential: (call: CallContext) => TokenCredential | undefined;
  /**
   * Whose App+User identity that is: the gateway's own (Secure Application Model, default), the
   * caller's (On-Behalf-Of), or none.
   */
  readonly userIdentity?: 'app+user' | 'on-behalf-of' | 'none';
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
  /** Each identity's token failures open a breaker of its own; default 5 failures, 30 s. */
  readonly credentialBreaker?: { readonly failureThreshold: number; readonly openSeconds: number };
  /** Calls in flight at once; more are refused at once (bulkhead) rather than queued. */
  readonly maxConcurrentCalls: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

interface Attempt {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly credential: TokenCredential;
  readonly guard: CredentialGuard;
  readonly body?: unknown;
}

/** One logical call in flight: what it sends, how its answer is read, and what binds its attempts. */
interface Exchange<T> extends Attempt {
  readonly schema: z.ZodType<T>;
  readonly call: CallContext;
  /** The same on every attempt: Partner Center treats a repeat as the same operation. */
  readonly requestId: string;
  /** The call's deadline (and the caller's abort). */
  readonly signal: AbortSignal;
}

/** Partner Center over HTTPS: one method per endpoint, every answer validated. */
export class PartnerCenterClient implements PartnerCenter {
  private inFlight = 0;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly userIdentity: 'app+user' | 'on-behalf-of' | 'none';
  private readonly appGuard: CredentialGuard;
  private readonly userGuard: CredentialGuard;

  constructor(private readonly options: PartnerCenterClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
    this.userIdentity = options.userIdentity ?? 'app+user';
    const { failureThreshold, openSeconds } = options.credentialBreaker ?? {
      failureThreshold: 5,
      openSeconds: 30,
    };
    const guard = (identity: PartnerCenterIdentity): CredentialGuard =>
      new CredentialGuard(identity, failureThreshold, openSeconds, () => this.now().getTime());
    this.appGuard = guard('app-only');
    this.userGuard = guard(this.userIdentity === 'on-behalf-of' ? 'on-behalf-of' : 'app+user');
  }

  getQualifications(
    customerId: CustomerId,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification[]>> {
    return this.call(
      {
        method: 'GET',
        path: `/v1/customers/${encodeURIComponent(customerId)}/qualifications`,
        credential: this.options.appCredential,
        guard: this.appGuard,
      },
      upstreamQualificationListSchema,
      call,
    );
  }

  createQualification(
    customerId: CustomerId,
    request: QualificationRequest,
    requestId: string,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification>> {
    const credential = this.options.userCredential(call);
    if (credential === undefined) {
      const identity = this.userGuard.identity;
      // On-Behalf-Of needs the caller's token; otherwise no App+User identity is configured.
      const cause = identity === 'on-behalf-of' ? 'caller-refused' : 'not-configured';
      call.logger.warn('No App+User credential for this Partner Center submission', { cause });
      return Promise.resolve({
        ok: false,
        failure: { kind: 'credential-unavailable', identity, cause },
      });
    }
    return this.call(
      {
        method: 'POST',
        path: `/v1/customers/${encodeURIComponent(customerId)}/qualifications`,
        credential,
        guard: this.userGuard,
        body: request,
      },
      upstreamQualificationSchema,
      call,
      requestId,
    );
  }

  listValidationCodes(call: CallContext): Promise<UpstreamResult<ValidationCode[]>> {
    return this.call(
      {
        method: 'GET',
        path: '/v1/customers/all/validations',
        credential: this.options.appCredential,
        guard: this.appGuard,
      },
      upstreamValidationCodeListSchema,
      call,
    );
  }

  health(): PartnerCenterHealth {
    return {
      partnerCenter: this.options.circuitBreaker.isOpen ? 'fail' : 'ok',
      appOnlyCredential: this.appGuard.status,
      appUserCredential: this.userIdentity === 'none' ? 'not-configured' : this.userGuard.status,
    };
  }

  private async call<T>(
    attempt: Attempt,
    schema: z.ZodType<T>,
    call: CallContext,
    // One MS-RequestId for the whole call: Partner Center treats a repeat as the same operation.
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
      const result = await this.attemptWithRetries({ ...attempt, schema, call, requestId, signal });
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

  private async attemptWithRetries<T>(exchange: Exchange<T>): Promise<UpstreamResult<T>> {
    const { call, signal } = exchange;
    const startedAt = Date.now();
    // What Partner Center itself last said: a retry that then cannot get a token must not hide
    // that an earlier attempt reached it (a lost POST answer may have been applied).
    let reached: UpstreamFailure | undefined;
    let outcomeUnknown = false;
    const failed = (failure: UpstreamFailure): UpstreamResult<T> => ({
      ok: false,
      failure,
      ...(outcomeUnknown && { outcomeUnknown }),
    });
    for (let number = 1; ; number++) {
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
      const retriesLeft = number <= this.options.maxRetries;
      const remainingMs = this.options.timeoutMs - (Date.now() - startedAt);
      let waitMs: number | undefined;
      if (failure.kind === 'throttled') {
        if (call.waitOnThrottle === false) return failed(failure);
        waitMs = failure.retryAfterSeconds * 1000;
      } else if (outcome.retryable) waitMs = backoffDelayMs(number, this.options.retryBaseMs);
      if (waitMs === undefined || !retriesLeft || waitMs >= remainingMs || signal.aborted) {
        return failed(failure);
      }
      call.logger.warn('Partner Center call failed; retrying', {
        method: exchange.method,
        path: exchange.path,
        attempt: number,
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
    const { call, signal } = exchange;
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
    let response: Response;
    let text: string;
    try {
      const { body } = exchange;
      response = await this.fetch(new URL(exchange.path, this.options.baseUrl), {
        method: exchange.method,
        redirect: 'manual',
        signal: attemptSignal,
        headers: upstreamHeaders(token.token, exchange.requestId, call, body !== undefined),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) return this.fail({ kind: 'timeout' }, false);
      // A POST whose answer was lost may have been applied: only the same MS-RequestId is safe,
      // and every retry here carries it.
      if (attemptSignal.aborted) return this.fail({ kind: 'timeout' }, true);
      call.logger.warn('Partner Center unreachable', { error: describeError(error) });
      return this.fail({ kind: 'unavailable', reason: 'network error' }, true);
    }
    return interpretAnswer(response, text, exchange.schema, {
      logger: call.logger,
      path: exchange.path,
      identity: exchange.guard.identity,
      now: this.now(),
    });
  }

  private fail<T>(failure: UpstreamFailure, retryable: boolean): AttemptOutcome<T> {
    return { ok: false, failure, retryable };
  }
}
