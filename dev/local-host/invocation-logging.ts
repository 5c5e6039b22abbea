import type { LogHandler } from '@azure/functions';
import { format, inspect } from 'node:util';

export type LogLine = (line: string) => void;

/** What `context.log()` and friends write to, as `[level] functionName: message`. */
export function createLogHandler(functionName: string, log: LogLine): LogHandler {
  return (level, ...args) => {
    log(`[${level}] ${functionName}: ${format(...args)}`);
  };
}

/** Errors are logged with their stack (and cause chain) for the developer, never sent to a client. */
export function describeError(error: unknown): string {
  return error instanceof Error ? inspect(error) : `non-Error value thrown: ${inspect(error)}`;
}
