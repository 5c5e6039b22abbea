import type { LogHandler } from '@azure/functions';
import { format, inspect } from 'node:util';
import { emitLogRecord } from '../../shared/telemetry/log-records.js';

export type LogLine = (line: string) => void;

/**
 * What `context.log()` and friends write to, as `[level] functionName: message`, and as an
 * OpenTelemetry log record (as the Azure Functions instrumentation makes of them in Azure).
 */
export function createLogHandler(functionName: string, log: LogLine): LogHandler {
  return (level, ...args) => {
    const message = format(...args);
    emitLogRecord(level, message);
    log(`[${level}] ${functionName}: ${message}`);
  };
}

/** Errors are logged with their stack (and cause chain) for the developer, never sent to a client. */
export function describeError(error: unknown): string {
  return error instanceof Error ? inspect(error) : `non-Error value thrown: ${inspect(error)}`;
}
