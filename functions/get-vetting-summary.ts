import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { summaryQuerySchema } from '../shared/api/summary-schemas.js';
import {
  summarizeVetting,
  type VettingSummaryDeps,
} from '../shared/application/summarize-vetting.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { parseRequestPart, queryObject } from '../shared/http/request-validation.js';

/** `GET /qualifications/summary`: the gateway's own tables, no Partner Center call. */
export function getVettingSummaryFunction(
  access: CallerAccess,
  deps: VettingSummaryDeps,
): HttpFunctionOptions {
  return httpEndpoint(operations.getVettingSummary, access, async ({ request, problem }) => {
    const query = parseRequestPart(summaryQuerySchema, queryObject(request.query), 'query');
    if (!query.ok) return problem(query.problem);
    return jsonResponse(200, await summarizeVetting(deps, query.value.days));
  });
}
