import type { HttpFunctionOptions } from '@azure/functions';
import type { StatusView } from '../shared/domain/ports.js';
import { operations } from '../shared/api/operations.js';
import { listQualificationsQuerySchema } from '../shared/api/schemas.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { parseRequestPart, queryObject } from '../shared/http/request-validation.js';

export function listQualificationsFunction(
  access: CallerAccess,
  statusView: StatusView,
): HttpFunctionOptions {
  return httpEndpoint(operations.listQualifications, access, async ({ request, problem }) => {
    const query = parseRequestPart(
      listQualificationsQuerySchema,
      queryObject(request.query),
      'query',
    );
    if (!query.ok) return problem(query.problem);
    const { vettingStatus, qualification, pageSize, continuationToken } = query.value;
    const listing = await statusView.list(
      vettingStatus,
      qualification,
      pageSize,
      continuationToken,
    );
    if (!listing.ok) {
      return problem({
        status: 400,
        type: 'invalid-request',
        detail: 'query.continuationToken: not a token this endpoint returned',
        errors: [
          { path: 'query.continuationToken', message: 'not a token this endpoint returned' },
        ],
      });
    }
    return jsonResponse(200, listing.page);
  });
}
