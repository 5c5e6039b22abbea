import type { HttpFunctionOptions, HttpResponseInit } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { createQualificationHeadersSchema, customerPathSchema } from '../shared/api/schemas.js';
import {
  submitQualification,
  type SubmitQualificationDeps,
} from '../shared/application/submit-qualification.js';
import type { CustomerId } from '../shared/domain/customer-id.js';
import type { IdempotencyStore } from '../shared/domain/idempotency.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint, type RequestScope } from '../shared/http/http-endpoint.js';
import { idempotently } from '../shared/http/idempotent-request.js';
import { jsonResponse } from '../shared/http/problem.js';
import {
  parseQualificationBody,
  type CreateQualificationBody,
} from '../shared/http/qualification-body.js';
import { parseRequestPart } from '../shared/http/request-validation.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';

export interface CreateQualificationDeps extends SubmitQualificationDeps {
  readonly idempotency: IdempotencyStore;
}

export function createQualificationFunction(
  access: CallerAccess,
  deps: CreateQualificationDeps,
): HttpFunctionOptions {
  return httpEndpoint(operations.createQualification, access, async (scope) => {
    const { request, problem } = scope;
    const path = parseRequestPart(customerPathSchema, request.params, 'path');
    if (!path.ok) return problem(path.problem);
    const headers = parseRequestPart(
      createQualificationHeadersSchema,
      { 'idempotency-key': request.headers.get('idempotency-key') ?? undefined },
      'headers',
    );
    if (!headers.ok) return problem(headers.problem);
    const body = parseQualificationBody(scope.body);
    if (!body.ok) return problem(body.problem);

    const { customerId } = path.value;
    return idempotently(
      deps.idempotency,
      { scope: customerId, key: headers.value['idempotency-key'], content: body.value },
      scope,
      (requestId) => submit(deps, scope, customerId, body.value, requestId),
    );
  });
}

async function submit(
  deps: SubmitQualificationDeps,
  { call, problem }: RequestScope,
  customerId: CustomerId,
  body: CreateQualificationBody,
  requestId: string,
): Promise<HttpResponseInit> {
  const outcome = await submitQualification(deps, { customerId, request: body, requestId }, call);
  if (outcome.kind === 'upstream-failed')
    return problem(upstreamProblem(outcome.failure, call.logger));
  if (outcome.kind === 'too-many-open') {
    return problem({
      status: 429,
      type: 'too-many-submissions-in-flight',
      detail:
        'This customer has as many submissions awaiting Partner Center as it may; retry once they are settled.',
      headers: { 'retry-after': String(outcome.retryAfterSeconds) },
    });
  }
  return jsonResponse(201, outcome.qualification, {
    location: `/api/v1/customers/${customerId}/qualifications`,
    ...(!outcome.recorded && { 'gateway-recorded': 'false' }),
  });
}
