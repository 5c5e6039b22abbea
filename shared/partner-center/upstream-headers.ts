import type { CallContext } from '../domain/ports.js';

const APPLICATION_NAME = 'partner-qualifications-gateway';

/**
 * The headers Partner Center documents for every request, built for one attempt. The trace
 * context (`traceparent`) is added by OpenTelemetry's propagation (shared/telemetry).
 */
export function upstreamHeaders(
  token: string,
  requestId: string,
  call: CallContext,
  hasBody: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'ms-requestid': requestId,
    'ms-correlationid': call.correlationId,
    'ms-partnercenter-application': APPLICATION_NAME,
  };
  if (hasBody) headers['content-type'] = 'application/json';
  return headers;
}
