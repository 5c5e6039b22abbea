import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import type { PartnerCenter } from '../domain/ports.js';
import type { UpstreamResult } from '../domain/upstream.js';
import { parseRetryAfter } from '../partner-center/backoff.js';
import type { TransportAnswer, UpstreamTransport } from '../partner-center/upstream-transport.js';
import { gatewayInstruments } from './gateway-metrics.js';
import { tracer } from './tracing.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Attempts of one MS-RequestId seen recently, so that a retry's span says it is one. */
const MAX_TRACKED_REQUESTS = 1_000;

/**
 * The Partner Center client's transport, one client span per attempt: the attempt's trace
 * context is injected as `traceparent` (child of the active span, so one trace from the caller
 * to Partner Center), `MS-RequestId`, `MS-CorrelationId`, the status and `Retry-After` become
 * attributes, and a retry of the same MS-RequestId carries `http.request.resend_count`.
 * Only those headers are read: the bearer token never reaches a span.
 */
export function tracedTransport(base: UpstreamTransport): UpstreamTransport {
  const attempts = new Map<string, number>();
  return async (request) => {
    const { url, method, headers } = request;
    const requestId = headers['ms-requestid'];
    const correlationId = headers['ms-correlationid'];
    const resendCount = requestId === undefined ? 0 : countAttempt(attempts, requestId);
    const pathTemplate = url.pathname.replace(GUID, '{customerId}');
    const customerId = /\/customers\/([0-9a-f-]{36})\//i.exec(url.pathname)?.[1]?.toLowerCase();
    const span = tracer().startSpan(`${method} ${pathTemplate}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        ...(url.port !== '' && { 'server.port': Number(url.port) }),
        'url.full': `${url.origin}${url.pathname}`,
        'url.template': pathTemplate,
        'peer.service': 'partner-center',
        ...(customerId !== undefined && { 'customer.id': customerId }),
        ...(requestId !== undefined && { 'partner_center.request_id': requestId }),
        ...(correlationId !== undefined && { 'partner_center.correlation_id': correlationId }),
        ...(resendCount > 0 && { 'http.request.resend_count': resendCount }),
      },
    });
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    try {
      const answer = await base({ ...request, headers: { ...headers, ...carrier } });
      span.setAttribute('http.response.status_code', answer.status);
      if (answer.status === 429) recordThrottle(span, answer, pathTemplate);
      if (answer.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    } catch (error) {
      const timedOut = request.signal.aborted;
      span.setAttribute('error.type', timedOut ? 'timeout' : 'network');
      span.setStatus({ code: SpanStatusCode.ERROR, message: timedOut ? 'timeout' : 'network' });
      throw error;
    } finally {
      span.end();
    }
  };
}

function recordThrottle(span: Span, answer: TransportAnswer, pathTemplate: string): void {
  const { partnerCenterThrottled, partnerCenterRetryAfter } = gatewayInstruments();
  span.setAttribute('partner_center.throttled', true);
  partnerCenterThrottled.add(1, { 'url.template': pathTemplate });
  // Seconds, as the resilient exchange reads it: delta-seconds or an HTTP date.
  const retryAfter = parseRetryAfter(answer.header('retry-after'), new Date());
  if (retryAfter !== undefined) {
    span.setAttribute('http.response.header.retry-after', retryAfter);
    partnerCenterRetryAfter.record(retryAfter, { 'url.template': pathTemplate });
  }
}

function countAttempt(attempts: Map<string, number>, requestId: string): number {
  const previous = attempts.get(requestId) ?? 0;
  attempts.delete(requestId); // re-inserted last: the map stays in order of use
  attempts.set(requestId, previous + 1);
  if (attempts.size > MAX_TRACKED_REQUESTS) {
    const oldest = attempts.keys().next().value;
    if (oldest !== undefined) attempts.delete(oldest);
  }
  return previous;
}

type Outcome = 'ok' | 'rejected' | 'throttled' | 'unavailable' | 'timeout';

function outcomeOf(result: UpstreamResult<unknown>): { outcome: Outcome; failure?: string } {
  if (result.ok) return { outcome: 'ok' };
  const { kind } = result.failure;
  // The circuit breaker, the bulkhead and a token that could not be had: no answer to be had.
  if (kind === 'circuit-open' || kind === 'saturated' || kind === 'credential-unavailable')
    return { outcome: 'unavailable', failure: kind };
  return { outcome: kind, failure: kind };
}

/**
 * The Partner Center port with a duration measured per call (retries and waits included), by
 * operation and outcome.
 */
export function measuredPartnerCenter(inner: PartnerCenter): PartnerCenter {
  const measure = async <T>(
    operation: string,
    call: () => Promise<UpstreamResult<T>>,
  ): Promise<UpstreamResult<T>> => {
    const startedAt = performance.now();
    const result = await call();
    const { outcome } = outcomeOf(result);
    gatewayInstruments().partnerCenterCallDuration.record((performance.now() - startedAt) / 1000, {
      'partner_center.operation': operation,
      'partner_center.outcome': outcome,
      ...(!result.ok && { 'error.type': result.failure.kind }),
    });
    return result;
  };
  return {
    getQualifications: (customerId, call) =>
      measure('get-qualifications', () => inner.getQualifications(customerId, call)),
    createQualification: (customerId, request, requestId, call) =>
      measure('create-qualification', () =>
        inner.createQualification(customerId, request, requestId, call),
      ),
    listValidationCodes: (call) =>
      measure('list-validation-codes', () => inner.listValidationCodes(call)),
    health: () => inner.health(),
  };
}
