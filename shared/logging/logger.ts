/** Structured properties attached to a log line. Values pass through the redactor. */
export type LogProperties = Readonly<Record<string, unknown>>;

/**
 * The one logging interface of the gateway. Implementations add the correlation id to every
 * line and redact secrets (see `redact.ts`) before anything leaves the process.
 */
export interface Logger {
  info(message: string, properties?: LogProperties): void;
  warn(message: string, properties?: LogProperties): void;
  error(message: string, properties?: LogProperties): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
