import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { StatusView } from '../shared/domain/ports.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export function listQualificationsFunction(
  access: CallerAccess,
  statusView: StatusView,
): HttpFunctionOptions {
  return httpEndpoint(operations.listQualifications, access, async ({ query, problem }) => {
    const { vettingStatus, qualification, pageSize, continuationToken } = query;
    const listing = await statusView.list(
      vettingStatus,
      qualification,
      pageSize,
      continuationToken,
    );
    if (listing.ok) return jsonResponse(200, listing.page);
    const message = 'not a token this endpoint returned';
    return problem({
      status: 400,
      type: 'invalid-request',
      detail: `query.continuationToken: ${message}`,
      errors: [{ path: 'query.continuationToken', message }],
    });
  });
}
