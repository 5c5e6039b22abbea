import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { INSTRUMENTATION_SCOPE } from './tracing.js';

const SEVERITY: Record<string, SeverityNumber> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  information: SeverityNumber.INFO,
  info: SeverityNumber.INFO,
  warning: SeverityNumber.WARN,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  critical: SeverityNumber.FATAL,
};

/**
 * One log line as an OpenTelemetry log record, in the active trace. The local host calls it for
 * every `context.log` line, as the Azure Functions instrumentation does in Azure; the line has
 * been through the redactor already. A no-op when no exporter is configured.
 */
export function emitLogRecord(level: string, body: string): void {
  logs.getLogger(INSTRUMENTATION_SCOPE).emit({
    body,
    severityText: level,
    severityNumber: SEVERITY[level] ?? SeverityNumber.UNSPECIFIED,
  });
}
