import * as coreTracing from '@azure/core-tracing';
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TelemetryConfig } from './telemetry-config.js';
import { telemetryResource } from './telemetry-resource.js';

/** What telemetry the process sends, and how to flush it before it ends. */
export interface Telemetry {
  /** Where telemetry goes: nowhere, Azure Monitor, an OTLP endpoint, or both. */
  readonly destinations: readonly ('azure-monitor' | 'otlp')[];
  /** Sends what is buffered now (tests, and a clean stop). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Exporters {
  readonly spans: SpanExporter;
  readonly metrics: PushMetricExporter;
  readonly logs: LogRecordExporter;
}

let started: Promise<Telemetry> | undefined;

/**
 * Sets OpenTelemetry up for the process, once (later calls get the first setup). Always: W3C
 * trace context propagation and a tracer, so that a caller's trace continues to Partner Center
 * and log lines carry trace and span ids. With a destination configured: spans, metrics and logs
 * exported there, and the Azure SDK's spans (storage, Key Vault, identity). Exporters are
 * imported only when configured, so a run without a destination loads none of them.
 */
export function startTelemetry(
  config: TelemetryConfig,
  extra: { readonly spanProcessors?: readonly SpanProcessor[] } = {},
): Promise<Telemetry> {
  started ??= setUp(config, extra.spanProcessors ?? []);
  return started;
}

async function setUp(
  config: TelemetryConfig,
  extraSpanProcessors: readonly SpanProcessor[],
): Promise<Telemetry> {
  const exporters: Exporters[] = [];
  if (config.azureMonitor !== undefined)
    exporters.push(await azureMonitorExporters(config.azureMonitor));
  if (config.otlp !== undefined) exporters.push(await otlpExporters(config.otlp));

  const resource = telemetryResource(config.serviceName);
  // Extra processors: the tests' span collector (the secret check of every test gateway).
  const spanProcessors: SpanProcessor[] = [...extraSpanProcessors];
  if (exporters.length > 0) {
    // Batch size and delay come from OTEL_BSP_*; the sampler from OTEL_TRACES_SAMPLER(_ARG).
    for (const e of exporters) spanProcessors.push(new BatchSpanProcessor(e.spans));
  }
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  // The async-local-storage context manager and the W3C trace context propagator.
  tracerProvider.register();
  if (spanProcessors.length > 0) await instrumentAzureSdk();
  if (exporters.length === 0) {
    return {
      destinations: [],
      flush: () => tracerProvider.forceFlush(),
      shutdown: () => tracerProvider.shutdown(),
    };
  }

  const { MeterProvider, PeriodicExportingMetricReader } =
    await import('@opentelemetry/sdk-metrics');
  const meterProvider = new MeterProvider({
    resource,
    readers: exporters.map(
      (e) =>
        new PeriodicExportingMetricReader({
          exporter: e.metrics,
          exportIntervalMillis: config.metricExportIntervalMs,
          exportTimeoutMillis: Math.min(30_000, config.metricExportIntervalMs),
        }),
    ),
  });
  metrics.setGlobalMeterProvider(meterProvider);

  const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
  const loggerProvider = new LoggerProvider({
    resource,
    processors: exporters.map((e) => new BatchLogRecordProcessor({ exporter: e.logs })),
  });
  logs.setGlobalLoggerProvider(loggerProvider);

  const providers = [tracerProvider, meterProvider, loggerProvider];
  return {
    destinations: [
      ...(config.azureMonitor !== undefined ? (['azure-monitor'] as const) : []),
      ...(config.otlp !== undefined ? (['otlp'] as const) : []),
    ],
    flush: async () => {
      await Promise.all(providers.map((p) => p.forceFlush()));
    },
    shutdown: async () => {
      await Promise.all(providers.map((p) => p.shutdown()));
    },
  };
}

/**
 * Spans of the Azure SDK clients (Table, Queue, Key Vault, identity). The instrumentation's one
 * module definition sets `@azure/core-tracing`'s instrumenter; it is applied here to the
 * module the gateway imports rather than through a require hook, which a bundle (the deployment
 * package) never passes through. The ESM and CommonJS builds of core-tracing share that state.
 */
async function instrumentAzureSdk(): Promise<void> {
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { createAzureSdkInstrumentation } =
    await import('@azure/opentelemetry-instrumentation-azure-sdk');
  const instrumentation = createAzureSdkInstrumentation();
  registerInstrumentations({ instrumentations: [instrumentation] });
  const definitions = (instrumentation as Partial<InstrumentationBase>).getModuleDefinitions?.();
  if (definitions === undefined || definitions.length === 0) {
    throw new Error('The Azure SDK instrumentation no longer defines the module it patches');
  }
  for (const definition of definitions) definition.patch?.(coreTracing);
}

/** Azure Monitor with the app's managed identity: the template turns local auth off. */
async function azureMonitorExporters(
  azureMonitor: NonNullable<TelemetryConfig['azureMonitor']>,
): Promise<Exporters> {
  const exporter = await import('@azure/monitor-opentelemetry-exporter');
  const { DefaultAzureCredential } = await import('@azure/identity');
  const options = {
    connectionString: azureMonitor.connectionString,
    credential: new DefaultAzureCredential(),
  };
  return {
    spans: new exporter.AzureMonitorTraceExporter(options),
    metrics: new exporter.AzureMonitorMetricExporter(options),
    logs: new exporter.AzureMonitorLogExporter(options),
  };
}

/** OTLP over HTTP, JSON or protobuf; headers and the like from the standard OTEL_* variables. */
async function otlpExporters(otlp: NonNullable<TelemetryConfig['otlp']>): Promise<Exporters> {
  const url = (signal: string): string => new URL(`v1/${signal}`, otlp.endpoint).toString();
  if (otlp.protocol === 'http/json') {
    const [traces, metricsModule, logsModule] = await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/exporter-logs-otlp-http'),
    ]);
    return {
      spans: new traces.OTLPTraceExporter({ url: url('traces') }),
      metrics: new metricsModule.OTLPMetricExporter({ url: url('metrics') }),
      logs: new logsModule.OTLPLogExporter({ url: url('logs') }),
    };
  }
  const [traces, metricsModule, logsModule] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/exporter-metrics-otlp-proto'),
    import('@opentelemetry/exporter-logs-otlp-proto'),
  ]);
  return {
    spans: new traces.OTLPTraceExporter({ url: url('traces') }),
    metrics: new metricsModule.OTLPMetricExporter({ url: url('metrics') }),
    logs: new logsModule.OTLPLogExporter({ url: url('logs') }),
  };
}
