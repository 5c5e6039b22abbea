import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { SimulatorControl } from '../../dev/partner-center-simulator/control-client.js';
import {
  attribute,
  OtlpReceiver,
  pointValue,
  type OtlpDataPoint,
  type OtlpMetric,
} from '../support/otlp-receiver.js';
import { startNpmStart, type RunningNpmStart } from '../support/npm-start.js';

/**
 * `npm start`'s program with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in
 * this test (http/json): what an operator's collector would receive.
 */
let app: RunningNpmStart;
let api: string;
let gatewayOrigin: string;
let simulator: SimulatorControl;
let receiver: OtlpReceiver;

async function eventually<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not received in time: ${what}\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  app = await startNpmStart({
    SIMULATOR_VETTING_DELAY_SECONDS: '3600',
    // Runs only when this test asks (POST /admin/functions/…).
    VETTING_REFRESH_SCHEDULE: '0 0 0 1 1 *',
    STORAGE_TABLE_PREFIX: `o${randomBytes(5).toString('hex')}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
  });
  gatewayOrigin = app.origin;
  api = app.api;
  simulator = new SimulatorControl(app.simulatorUrl);
}, 40_000);

afterAll(async () => {
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
  await receiver.close();
});

const SERVER = 2;
const CLIENT = 3;

function points(metric: OtlpMetric | undefined): OtlpDataPoint[] {
  return [
    ...(metric?.histogram?.dataPoints ?? []),
    ...(metric?.sum?.dataPoints ?? []),
    ...(metric?.gauge?.dataPoints ?? []),
  ];
}

function metricWith(name: string, match: (p: OtlpDataPoint) => boolean) {
  return receiver
    .metrics()
    .filter((m) => m.name === name)
    .find((m) => points(m).some(match));
}

describe('telemetry over OTLP/HTTP (http/json)', () => {
  const customerId = SEEDED_CUSTOMERS.educationInReview;
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');

  it("continues the caller's trace: a server span, a Partner Center client span, the same trace upstream", async () => {
    const response = await fetch(`${api}/customers/${customerId}/qualifications?refresh=true`, {
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(response.status).toBe(200);

    const server = await eventually('the server span', () =>
      receiver.spans().find((s) => s.traceId === traceId && s.kind === SERVER),
    );
    expect(server.parentSpanId).toBe(callerSpanId);
    expect(server.name).toBe('GET /api/v1/customers/{customerId}/qualifications');
    expect(attribute(server.attributes, 'http.route')).toBe(
      '/api/v1/customers/{customerId}/qualifications',
    );
    expect(attribute(server.attributes, 'http.request.method')).toBe('GET');
    expect(Number(attribute(server.attributes, 'http.response.status_code'))).toBe(200);
    expect(attribute(server.attributes, 'customer.id')).toBe(customerId);
    expect(server.serviceName).toBe('partner-qualifications-gateway');
    expect(receiver.resourceAttributes()['deployment.environment.name']).toBe('e2e');

    const client = await eventually('the Partner Center client span', () =>
      receiver
        .spans()
        .find(
          (s) =>
            s.traceId === traceId &&
            s.kind === CLIENT &&
            attribute(s.attributes, 'peer.service') === 'partner-center',
        ),
    );
    const storage = receiver
      .spans()
      .find(
        (s) =>
          s.traceId === traceId &&
          attribute(s.attributes, 'az.namespace') === 'Microsoft.Data.Tables' &&
          s.name.startsWith('TableClient.'),
      );
    expect(storage, 'a storage span in the trace').toBeDefined();
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.name).toBe('GET /v1/customers/{customerId}/qualifications');
    expect(Number(attribute(client.attributes, 'http.response.status_code'))).toBe(200);
    expect(attribute(client.attributes, 'partner_center.request_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(attribute(client.attributes, 'partner_center.correlation_id')).toBe(
      response.headers.get('x-correlation-id'),
    );

    const upstream = (await simulator.requests()).find((r) => r.path.includes(customerId));
    expect(upstream?.headers.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
    expect(upstream?.headers['ms-requestid']).toBe(
      attribute(client.attributes, 'partner_center.request_id'),
    );
  });

  it('after a timer run that records a decision: refresh, Partner Center and decision-time metrics', async () => {
    await simulator.decide(customerId, 'Education', 'Approved');
    const run = await fetch(`${gatewayOrigin}/admin/functions/refresh-pending-vetting`, {
      method: 'POST',
    });
    expect(run.status).toBe(202);

    const decision = await eventually('the decision-time histogram', () =>
      metricWith(
        'vetting.decision.duration',
        (p) =>
          attribute(p.attributes, 'vetting.qualification') === 'Education' &&
          attribute(p.attributes, 'vetting.outcome') === 'Approved',
      ),
    );
    expect(decision.unit).toBe('s');
    await eventually('refresh runs', () =>
      metricWith('refresh.runs', (p) => attribute(p.attributes, 'refresh.stopped_by') === 'done'),
    );
    await eventually('refresh customers checked', () =>
      metricWith(
        'refresh.customers',
        (p) => attribute(p.attributes, 'refresh.result') === 'changed' && pointValue(p) >= 1,
      ),
    );
    await eventually('refresh run duration', () => metricWith('refresh.run.duration', () => true));
    const calls = await eventually('Partner Center call duration', () =>
      metricWith(
        'partner_center.call.duration',
        (p) =>
          attribute(p.attributes, 'partner_center.operation') === 'get-qualifications' &&
          attribute(p.attributes, 'partner_center.outcome') === 'ok' &&
          pointValue(p) >= 2,
      ),
    );
    expect(calls.unit).toBe('s');
    await eventually('the timer span', () =>
      receiver
        .spans()
        .find(
          (s) =>
            s.name === 'refresh-pending-vetting' &&
            Number(attribute(s.attributes, 'refresh.checked')) >= 1,
        ),
    );
  });

  it('exports log lines, and no token or key in any span, metric or log', async () => {
    await eventually('a log record', () =>
      receiver.bodies.some((b) => b.path === '/v1/logs') ? true : undefined,
    );
    const everything = receiver.allText();
    expect(everything).toContain('Request handled');
    expect(everything).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/);
    const accountKey = /AccountKey=([^;]+)/.exec(inject('azuriteConnectionString'))?.[1] ?? '';
    expect(accountKey).not.toBe('');
    expect(everything).not.toContain(accountKey);
  });
});
