import * as z from 'zod/mini';
import '../zod-english.js';

export const DEFAULT_SERVICE_NAME = 'partner-qualifications-gateway';

/**
 * The telemetry settings the gateway reads itself (part of settings.ts). The OpenTelemetry SDK
 * reads the other standard variables on its own: OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*,
 * OTEL_TRACES_SAMPLER(_ARG), OTEL_EXPORTER_OTLP_HEADERS.
 */
export const telemetrySettingsSchema = z.object({
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.optional(z.string().check(z.trim())),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  OTEL_EXPORTER_OTLP_PROTOCOL: z._default(
    z.enum(['http/protobuf', 'http/json'], {
      error: 'http/protobuf or http/json (OTLP over HTTP; gRPC is not supported)',
    }),
    'http/protobuf',
  ),
  OTEL_SERVICE_NAME: z._default(z.string().check(z.trim(), z.minLength(1)), DEFAULT_SERVICE_NAME),
  OTEL_METRIC_EXPORT_INTERVAL: z._default(
    z.coerce.number().check(z.int(), z.gte(100), z.lte(3_600_000)),
    60_000,
  ),
});

export type TelemetrySettings = z.output<typeof telemetrySettingsSchema>;

export interface TelemetryConfig {
  readonly serviceName: string;
  readonly metricExportIntervalMs: number;
  /** Export to Azure Monitor (Application Insights), with the managed identity. */
  readonly azureMonitor?: { readonly connectionString: string };
  /** Export over OTLP/HTTP to `endpoint` (the signal paths /v1/traces… are appended). */
  readonly otlp?: { readonly endpoint: string; readonly protocol: 'http/protobuf' | 'http/json' };
}

export function telemetryConfigOf(s: TelemetrySettings): TelemetryConfig {
  return {
    serviceName: s.OTEL_SERVICE_NAME,
    metricExportIntervalMs: s.OTEL_METRIC_EXPORT_INTERVAL,
    ...(s.APPLICATIONINSIGHTS_CONNECTION_STRING !== undefined && {
      azureMonitor: { connectionString: s.APPLICATIONINSIGHTS_CONNECTION_STRING },
    }),
    ...(s.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && {
      otlp: {
        // A base URL: the signal paths are resolved against it, so it must end with a slash.
        endpoint: s.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/?$/, '/'),
        protocol: s.OTEL_EXPORTER_OTLP_PROTOCOL,
      },
    }),
  };
}
