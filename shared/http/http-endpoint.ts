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
import { readJsonBody } from './json-body.js';
import { problemResponse, type Problem } from './problem.js';

/** What every handler gets: the request, and the context for the calls it makes. */
export interface RequestScope {
  readonly request: HttpRequest;
  readonly call: CallContext;
  /** The parsed JSON body, for operations that take one (size, media type and syntax checked). */
  readonly body: unknown;
  /** Turns a problem into a response carrying this request's correlation id. */
  readonly problem: (problem: Problem) => HttpResponseInit;
  /** Who is calling, when inbound authentication is on: the subject and the calling app. */
  readonly caller?: { readonly subject: string; readonly appId: string | undefined };
}

export type EndpointHandler = (scope: RequestScope) => Promise<HttpResponseInit>;

/**
 * The HTTP edge shared by every function: correlation id in and out, a correlated and
 * redacting logger, and unexpected errors logged once and answered as a bare 500.
 */
export function httpEndpoint(
  operation: Operation,
  access: CallerAccess,
  handle: EndpointHandler,
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
        const allowed = await access.check(request, operation.access);
        if (!allowed.ok) {
          logger.warn('Caller refused', { status: allowed.problem.status, reason: allowed.reason });
          return problem(allowed.problem);
        }
        if (allowed.caller) logger.info('Caller authorized', { ...allowed.caller });
        const call: CallContext = {
          ...baseCall,
          ...(allowed.callerToken !== undefined && { callerToken: allowed.callerToken }),
        };
        const caller = allowed.caller;
        if (operation.request.body === undefined) {
          return handle({ request, call, body: undefined, problem, caller });
        }
        const body = await readJsonBody(request);
        return body.ok
          ? handle({ request, call, body: body.value, problem, caller })
          : problem(body.problem);
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
