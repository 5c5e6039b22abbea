import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  TransportRequest,
  UpstreamTransport,
} from '../../shared/partner-center/upstream-transport.js';
import { tracedTransport } from '../../shared/telemetry/partner-center-telemetry.js';
import {
  telemetryConfigOf,
  telemetrySettingsSchema,
} from '../../shared/telemetry/telemetry-config.js';

const spans = new InMemorySpanExporter();

beforeAll(() => {
  new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).register();
});
afterEach(() => {
  spans.reset();
});

const URL_OF_CUSTOMER = new URL(
  'https://api.partnercenter.microsoft.com/v1/customers/0a1b2c3d-0000-4000-8000-00000000abcd/qualifications',
);

/** A transport that answers `status` (with headers) and remembers the headers it was sent. */
function upstream(status: number, headers: Record<string, string> = {}) {
  const sent: Readonly<Record<string, string>>[] = [];
  const transport: UpstreamTransport = (request) => {
    sent.push(request.headers);
    return Promise.resolve({ status, text: '{}', header: (name) => headers[name.toLowerCase()] });
  };
  return { transport, sent };
}

const attempt = (requestId: string, method: 'GET' | 'POST' = 'GET'): TransportRequest => ({
  method,
  url: URL_OF_CUSTOMER,
  headers: {
    authorization: 'Bearer secret-access-token',
    'ms-requestid': requestId,
    'ms-correlationid': '11111111-2222-4333-8444-555555555555',
  },
  signal: new AbortController().signal,
  maxBytes: 1024,
});

describe('tracedTransport (one client span per Partner Center attempt)', () => {
  it("is a child of the active span and sends that trace's traceparent upstream", async () => {
    const { transport, sent } = upstream(200);
    const parent = trace.getTracer('test').startSpan('caller');
    await context.with(trace.setSpan(context.active(), parent), () =>
      tracedTransport(transport)(attempt('r-1')),
    );
    parent.end();
    const client = spans.getFinishedSpans().find((s) => s.name.startsWith('GET '));
    expect(client?.name).toBe('GET /v1/customers/{customerId}/qualifications');
    expect(client?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(sent[0]?.traceparent).toBe(
      `00-${parent.spanContext().traceId}-${client?.spanContext().spanId ?? ''}-01`,
    );
    expect(client?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'partner_center.request_id': 'r-1',
      'customer.id': '0a1b2c3d-0000-4000-8000-00000000abcd',
      'partner_center.correlation_id': '11111111-2222-4333-8444-555555555555',
    });
    expect(client?.attributes).not.toHaveProperty('http.request.resend_count');
    expect(JSON.stringify(client?.attributes)).not.toContain('secret-access-token');
  });

  it('marks a retry of the same MS-RequestId, and a 429 with its Retry-After', async () => {
    const { transport } = upstream(429, { 'retry-after': '7' });
    const traced = tracedTransport(transport);
    await traced(attempt('r-2'));
    await traced(attempt('r-2'));
    const [first, second] = spans.getFinishedSpans();
    expect(first?.attributes['http.request.resend_count']).toBeUndefined();
    expect(second?.attributes['http.request.resend_count']).toBe(1);
    expect(second?.attributes).toMatchObject({
      'http.response.status_code': 429,
      'partner_center.throttled': true,
      'http.response.header.retry-after': 7,
    });
  });

  it('reads a Retry-After given as an HTTP date in seconds, and records none that is unusable', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    await tracedTransport(upstream(429, { 'retry-after': inTenSeconds }).transport)(attempt('r-4'));
    await tracedTransport(upstream(429, { 'retry-after': '' }).transport)(attempt('r-5'));
    const [dated, empty] = spans.getFinishedSpans();
    const seconds = dated?.attributes['http.response.header.retry-after'];
    expect(seconds).toBeGreaterThanOrEqual(9);
    expect(seconds).toBeLessThanOrEqual(10);
    expect(empty?.attributes).not.toHaveProperty('http.response.header.retry-after');
  });

  it('ends the span as an error when the attempt fails', async () => {
    const failing: UpstreamTransport = () => Promise.reject(new Error('read ECONNRESET'));
    await expect(tracedTransport(failing)(attempt('r-3'))).rejects.toThrow('read ECONNRESET');
    expect(spans.getFinishedSpans()[0]?.attributes['error.type']).toBe('network');
  });
});

describe('telemetry settings', () => {
  const parse = (env: Record<string, string>) =>
    telemetryConfigOf(telemetrySettingsSchema.parse(env));

  it('exports nowhere by default, with the default service name', () => {
    expect(parse({})).toEqual({
      serviceName: 'partner-qualifications-gateway',
      metricExportIntervalMs: 60_000,
    });
  });

  it('takes an OTLP endpoint as a base URL, protobuf unless http/json is asked for', () => {
    expect(parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).otlp).toEqual({
      endpoint: 'http://127.0.0.1:4318/',
      protocol: 'http/protobuf',
    });
    expect(
      parse({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example/otlp/',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }).otlp,
    ).toEqual({ endpoint: 'https://collector.example/otlp/', protocol: 'http/json' });
  });

  it('refuses gRPC and a non-http endpoint', () => {
    expect(telemetrySettingsSchema.safeParse({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).success).toBe(
      false,
    );
    expect(
      telemetrySettingsSchema.safeParse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x' }).success,
    ).toBe(false);
  });
});
