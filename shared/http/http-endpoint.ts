import { randomUUID } from 'node:crypto';
import type {
  HttpFunctionOptions,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import { trace } from '@opentelemetry/api';
import type { Operation } from '../api/operations.js';
import { isGuid } from '../domain/customer-id.js';
import { isStorageUnavailable } from '../domain/storage-unavailable.js';
import { TransientError } from '../domain/transient-error.js';
import type { CallContext } from '../domain/ports.js';
import { createCorrelatedLogger } from '../logging/correlated-logger.js';
import { describeError } from '../logging/redact.js';
import { tracedHandler } from '../telemetry/tracing.js';
import type { CallerAccess } from './caller-access.js';
import { problemResponse, type Problem } from './problem.js';
import { parseRequest, type RequestParts } from './request-validation.js';

/**
 * What every handler gets: the request's parts as its operation declares them, parsed and typed,
 * and the context for the calls it makes. A handler never reads the raw request.
 */
export interface RequestScope<O extends Operation = Operation> extends RequestParts<O> {
  readonly call: CallContext;
  /** Turns a problem into a response carrying this request's correlation id. */
  readonly problem: (problem: Problem) => HttpResponseInit;
  /** Who is calling, when inbound authentication is on: the subject and the calling app. */
  readonly caller?: { readonly subject: string; readonly appId: string | undefined };
}

export type EndpointHandler<O extends Operation> = (
  scope: RequestScope<O>,
) => Promise<HttpResponseInit>;

/**
 * The HTTP edge shared by every function: correlation id in and out, a correlated and
 * redacting logger, the caller's access checked, the request parsed as the operation declares
 * it, and errors the handler did not map logged once: a busy gateway or unreachable storage as
 * 503 with Retry-After (nothing was changed), anything else as a bare 500.
 */
export function httpEndpoint<O extends Operation>(
  operation: O,
  callerAccess: CallerAccess,
  handle: EndpointHandler<O>,
): HttpFunctionOptions {
  return {
    methods: [operation.method],
    route: operation.route,
    // Function keys are a second layer in Azure; callers are authorised by their token.
    authLevel: operation.access === 'anonymous' ? 'anonymous' : 'function',
    handler: tracedHandler(operation, async (request: HttpRequest, context: InvocationContext) => {
      const callerCorrelationId = request.headers.get('x-correlation-id');
      const correlationId =
        callerCorrelationId !== null && isGuid(callerCorrelationId)
          ? callerCorrelationId.toLowerCase()
          : randomUUID();
      const logger = createCorrelatedLogger(context, correlationId, {
        operation: operation.functionName,
        invocationId: context.invocationId,
      });
      const baseCall: CallContext = { correlationId, logger };
      trace.getActiveSpan()?.setAttribute('gateway.correlation_id', correlationId);
      const startedAt = performance.now();
      const problem = (p: Problem): HttpResponseInit => problemResponse(p, correlationId);
      const respond = async (): Promise<HttpResponseInit> => {
        // Before anything else: a caller without the role causes no upstream or table I/O.
        const allowed = await callerAccess.check(request, operation.access);
        if (!allowed.ok) {
          logger.warn('Caller refused', { status: allowed.problem.status, reason: allowed.reason });
          return problem(allowed.problem);
        }
        if (allowed.caller) logger.info('Caller authorized', { ...allowed.caller });
        const call: CallContext = {
          ...baseCall,
          ...(allowed.callerToken !== undefined && { callerToken: allowed.callerToken }),
        };
        const parts = await parseRequest(operation, request);
        if (!parts.ok) return problem(parts.problem);
        return handle({ ...parts.value, call, problem, caller: allowed.caller });
      };
      let response: HttpResponseInit;
      try {
        response = await respond();
      } catch (error) {
        if (error instanceof TransientError) {
          logger.warn('Request met a transient failure', { error: describeError(error) });
          response = problem({
            status: 503,
            type: 'busy',
            detail: 'The gateway could not complete the request just now; retry shortly.',
            headers: { 'retry-after': String(error.retryAfterSeconds) },
          });
        } else if (isStorageUnavailable(error)) {
          logger.error('Storage unavailable', { error: describeError(error) });
          response = problem({
            status: 503,
            type: 'storage-unavailable',
            detail:
              'The gateway cannot reach its storage right now; nothing was changed. Retry later.',
            // The storage client has spent its own retries by now: a few seconds, not at once.
            headers: { 'retry-after': '5' },
          });
        } else {
          logger.error('Request failed unexpectedly', { error: describeError(error) });
          response = problem({
            status: 500,
            type: 'internal-error',
            detail: 'The request failed unexpectedly. The correlation id finds it in the logs.',
          });
        }
      }
      logger.info('Request handled', {
        method: request.method,
        status: response.status ?? 200,
        durationMs: Math.round(performance.now() - startedAt),
      });
      return withHeader(response, 'x-correlation-id', correlationId);
    }),
  };
}

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return { ...response, headers: Object.fromEntries(headers) };
}
