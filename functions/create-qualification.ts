import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { SubmitQualification } from '../shared/application/use-cases.js';
import { customerQualificationsPath } from '../shared/domain/api-paths.js';
import type { IdempotencyStore } from '../shared/domain/idempotency.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { idempotently } from '../shared/http/idempotent-request.js';
import { jsonResponse } from '../shared/http/problem.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';

export function createQualificationFunction(
  access: CallerAccess,
  submitQualification: SubmitQualification,
  idempotency: IdempotencyStore,
): HttpFunctionOptions {
  return httpEndpoint(operations.createQualification, access, async (scope) => {
    const { path, headers, body, call, problem } = scope;
    const { customerId } = path;
    const submission = { scope: customerId, key: headers['idempotency-key'], content: body };
    return idempotently(idempotency, submission, scope, async (requestId) => {
      const outcome = await submitQualification({ customerId, request: body, requestId }, call);
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
        location: customerQualificationsPath(customerId),
        ...(!outcome.recorded && { 'gateway-recorded': 'false' }),
      });
    });
  });
}
