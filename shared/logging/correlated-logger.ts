import type { Logger, LogProperties } from './logger.js';
import { activeTraceIds } from '../telemetry/tracing.js';
import { redactText, redactValue } from './redact.js';

/** Where log lines go: an Azure Functions `InvocationContext` fits, and so does `console`. */
export interface LogSink {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * Logs every line with the correlation id (and the active trace's `trace_id`/`span_id`), through
 * the redactor, as `message {json}`.
 */
export function createCorrelatedLogger(
  sink: LogSink,
  correlationId: string,
  base: LogProperties = {},
): Logger {
  const write =
    (level: keyof LogSink) =>
    (message: string, properties: LogProperties = {}): void => {
      const fields = redactValue({ correlationId, ...activeTraceIds(), ...base, ...properties });
      sink[level](`${redactText(message)} ${JSON.stringify(fields)}`);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
