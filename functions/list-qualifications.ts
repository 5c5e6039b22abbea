import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { listQualificationsQuerySchema } from '../shared/api/schemas.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { parseRequestPart, queryObject } from '../shared/http/request-validation.js';
import type { TableStatusIndex } from '../shared/storage/table-status-index.js';
import { tableStatusCode } from '../shared/storage/table-errors.js';

export function listQualificationsFunction(
  access: CallerAccess,

  statusIndex: Pick<TableStatusIndex, 'list'>,
): HttpFunctionOptions {
  return httpEndpoint(operations.listQualifications, access, async ({ request, problem }) => {
    const query = parseRequestPart(
      listQualificationsQuerySchema,
      queryObject(request.query),
      'query',
    );
    if (!query.ok) return problem(query.problem);
    const { vettingStatus, qualification, pageSize, continuationToken } = query.value;
    try {
      const page = await statusIndex.list(
        vettingStatus,
        qualification,
        pageSize,
        continuationToken,
      );
      return jsonResponse(200, page);
    } catch (error) {
      // A token the caller altered is refused by Table Storage or cannot be decoded.
      if (
        continuationToken !== undefined &&
        (tableStatusCode(error) === 400 || error instanceof SyntaxError)
      ) {
        return problem({
          status: 400,
          title: 'Invalid request',
          detail: 'query.continuationToken: not a token this endpoint returned',
          errors: [
            { path: 'query.continuationToken', message: 'not a token this endpoint returned' },
          ],
        });
      }
      throw error;
    }
  });
}
