import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { DEFAULT_SERVICE_NAME } from './telemetry-config.js';
import { API_BASE_PATH } from '../domain/api-paths.js';

/** The gateway's own spans and instruments are named after it. */
export const INSTRUMENTATION_SCOPE = DEFAULT_SERVICE_NAME;

export function tracer() {
  return trace.getTracer(INSTRUMENTATION_SCOPE);
}

const ROUTE_PREFIX = `${API_BASE_PATH}/`;

export interface ServerSpanInput {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext;
  readonly operationName: string;
  /** The route template, as registered: `customers/{customerId}/qualifications`. */
  readonly route: string;
}

/**
 * Runs one HTTP invocation inside a server span, child of the trace it belongs to: the Functions
 * host's (its trace context, in Azure) or else the caller's `traceparent`. The span is active
 * while the handler runs, so Partner Center and storage calls become its children.
 */
export async function withServerSpan(
  input: ServerSpanInput,
  handle: (span: Span) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  const { request, invocation } = input;
  const hostTrace = invocation.traceContext?.traceParent;
  const carrier: Record<string, string> = {};
  if (hostTrace) {
    carrier.traceparent = hostTrace;
    if (invocation.traceContext?.traceState)
      carrier.tracestate = invocation.traceContext.traceState;
  } else {
    const traceparent = request.headers.get('traceparent');
    const tracestate = request.headers.get('tracestate');
    if (traceparent !== null) carrier.traceparent = traceparent;
    if (tracestate !== null) carrier.tracestate = tracestate;
  }
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const route = `${ROUTE_PREFIX}${input.route}`;
  const customerId = request.params.customerId;
  const attributes: Attributes = {
    'http.request.method': request.method,
    'http.route': route,
    'url.path': new URL(request.url).pathname,
    'faas.trigger': 'http',
    'faas.invocation_id': invocation.invocationId,
    'gateway.operation': input.operationName,
    ...(customerId !== undefined && { 'customer.id': customerId.toLowerCase() }),
  };
  return tracer().startActiveSpan(
    `${request.method} ${route}`,
    { kind: SpanKind.SERVER, attributes },
    parent,
    async (span) => {
      try {
        const response = await handle(span);
        const status = response.status ?? 200;
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Runs a timer invocation inside a span of its own (a new trace per run). */
export function withTimerSpan<T>(
  name: string,
  invocationId: string,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    {
      kind: SpanKind.INTERNAL,
      attributes: { 'faas.trigger': 'timer', 'faas.invocation_id': invocationId },
    },
    ROOT_CONTEXT,
    async (span) => {
      try {
        return await run(span);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The active span's ids, for log lines; undefined outside a sampled or remote span. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

type HttpHandler = (
  request: HttpRequest,
  invocation: InvocationContext,
) => Promise<HttpResponseInit>;

/** An HTTP handler whose every invocation runs in a server span (see withServerSpan). */
export function tracedHandler(
  operation: { readonly functionName: string; readonly route: string },
  handle: HttpHandler,
): HttpHandler {
  return (request, invocation) =>
    withServerSpan(
      { request, invocation, operationName: operation.functionName, route: operation.route },
      () => handle(request, invocation),
    );
}

/** A timer handler whose every run is a span of its own (see withTimerSpan). */
export function tracedTimer(
  name: string,
  handle: (timer: Timer, invocation: InvocationContext) => Promise<void>,
): (timer: Timer, invocation: InvocationContext) => Promise<void> {
  return (timer, invocation) =>
    withTimerSpan(name, invocation.invocationId, () => handle(timer, invocation));
}
