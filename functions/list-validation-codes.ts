import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import {
  listValidationCodes,
  type ListValidationCodesDeps,
} from '../shared/application/list-validation-codes.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';

export function listValidationCodesFunction(
  access: CallerAccess,
  deps: ListValidationCodesDeps,
): HttpFunctionOptions {
  return httpEndpoint(operations.listValidationCodes, access, async ({ call, problem }) => {
    const result = await listValidationCodes(deps, call);
    if (!result.ok) return problem(upstreamProblem(result.failure, call.logger));
    return jsonResponse(200, { validationCodes: result.value });
  });
}
