import { randomUUID } from 'node:crypto';
import type {
  HttpFunctionOptions,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { Operation } from '../api/operations.js';
import { isGuid } from '../domain/customer-id.js';
import type { CallContext } from '../domain/ports.js';
import { createCorrelatedLogger } from '../logging/correlated-logger.js';
import { describeError } from '../logging/redact.js';
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
}

export type EndpointHandler = (scope: RequestScope) => Promise<HttpResponseInit>;

/**
 * The HTTP edge shared by every function: correlation id in and out, a correlated and
 * redacting logger, and unexpected errors logged once and answered as a bare 500.
 */
export function httpEndpoint(operation: Operation, handle: EndpointHandler): HttpFunctionOptions {
  return {
    methods: [operation.method],
    route: operation.route,
    // Function keys are a second layer in Azure; callers are authorised by their token.
    authLevel: operation.access === 'anonymous' ? 'anonymous' : 'function',
    handler: async (request: HttpRequest, context: InvocationContext) => {
      const callerCorrelationId = request.headers.get('x-correlation-id');
      const correlationId =
        callerCorrelationId !== null && isGuid(callerCorrelationId)
          ? callerCorrelationId.toLowerCase()
          : randomUUID();
      const traceparent = request.headers.get('traceparent') ?? undefined;
      const logger = createCorrelatedLogger(context, correlationId, {
        operation: operation.functionName,
        invocationId: context.invocationId,
      });
      const call: CallContext = { correlationId, logger, ...(traceparent && { traceparent }) };
      const startedAt = performance.now();
      let response: HttpResponseInit;
      try {
        const problem = (p: Problem): HttpResponseInit => problemResponse(p, correlationId);
        if (operation.request.body === undefined) {
          response = await handle({ request, call, body: undefined, problem });
        } else {
          const body = await readJsonBody(request);
          response = body.ok
            ? await handle({ request, call, body: body.value, problem })
            : problem(body.problem);
        }
      } catch (error) {
        logger.error('Request failed unexpectedly', { error: describeError(error) });
        response = problemResponse(
          {
            status: 500,
            title: 'Internal error',
            detail: 'The request failed unexpectedly. The correlation id finds it in the logs.',
          },
          correlationId,
        );
      }
      logger.info('Request handled', {
        method: request.method,
        status: response.status ?? 200,
        durationMs: Math.round(performance.now() - startedAt),
      });
      return withHeader(response, 'x-correlation-id', correlationId);
    },
  };
}

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return { ...response, headers: Object.fromEntries(headers) };
}
