import { randomBytes } from 'node:crypto';
import type { CallContext } from '../domain/ports.js';

const APPLICATION_NAME = 'partner-qualifications-gateway';
const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/;

/** The headers Partner Center documents for every request, built for one attempt. */
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
  const traceparent = childTraceparent(call.traceparent);
  if (traceparent !== undefined) headers.traceparent = traceparent;
  if (hasBody) headers['content-type'] = 'application/json';
  return headers;
}

/** Same trace, new span: the upstream call is a child of the caller's request. */
function childTraceparent(traceparent: string | undefined): string | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (!match?.[1] || !match[2]) return undefined;
  return `00-${match[1]}-${randomBytes(8).toString('hex')}-${match[2]}`;
}
