import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { CustomerStore } from '../shared/domain/ports.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

/** The newest entries; a customer changes status a handful of times in its life. */
const HISTORY_LIMIT = 500;

export function getQualificationHistoryFunction(
  access: CallerAccess,
  history: Pick<CustomerStore, 'history'>,
): HttpFunctionOptions {
  return httpEndpoint(operations.getQualificationHistory, access, async ({ path }) => {
    const entries = await history.history(path.customerId, HISTORY_LIMIT);
    return jsonResponse(200, {
      customerId: path.customerId,
      events: entries.map(({ correlationId: _correlationId, ...event }) => event),
    });
  });
}
