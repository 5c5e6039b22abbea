import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { ListValidationCodes } from '../shared/application/use-cases.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';

export function listValidationCodesFunction(
  access: CallerAccess,
  listValidationCodes: ListValidationCodes,
): HttpFunctionOptions {
  return httpEndpoint(operations.listValidationCodes, access, async ({ call, problem }) => {
    const result = await listValidationCodes(call);
    if (!result.ok) return problem(upstreamProblem(result.failure, call.logger));
    return jsonResponse(200, { validationCodes: result.value });
  });
}
