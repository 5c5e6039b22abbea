import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { SummarizeVetting } from '../shared/application/use-cases.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

/** `GET /qualifications/summary`: the gateway's own tables, no Partner Center call. */
export function getVettingSummaryFunction(
  access: CallerAccess,
  summarizeVetting: SummarizeVetting,
): HttpFunctionOptions {
  return httpEndpoint(operations.getVettingSummary, access, async ({ query }) =>
    jsonResponse(200, await summarizeVetting(query.days)),
  );
}
