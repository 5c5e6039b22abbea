import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { customerPathSchema } from '../shared/api/schemas.js';
import type { CustomerStore } from '../shared/domain/ports.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { parseRequestPart } from '../shared/http/request-validation.js';

/** The newest entries; a customer changes status a handful of times in its life. */
const HISTORY_LIMIT = 500;

export function getQualificationHistoryFunction(
  access: CallerAccess,
  store: CustomerStore,
): HttpFunctionOptions {
  return httpEndpoint(operations.getQualificationHistory, access, async ({ request, problem }) => {
    const path = parseRequestPart(customerPathSchema, request.params, 'path');
    if (!path.ok) return problem(path.problem);
    const customerId = path.value.customerId;
    const entries = await store.history(customerId, HISTORY_LIMIT);
    return jsonResponse(200, {
      customerId,
      events: entries.map(({ correlationId: _correlationId, ...event }) => event),
    });
  });
}
