import { createHash } from 'node:crypto';
import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { customerPathSchema, getQualificationsQuerySchema } from '../shared/api/schemas.js';
import {
  getCustomerQualifications,
  type GetCustomerQualificationsDeps,
} from '../shared/application/get-customer-qualifications.js';
import type { CustomerQualifications } from '../shared/domain/customer-qualifications.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { parseRequestPart, queryObject } from '../shared/http/request-validation.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';
import { recordCacheLookup } from '../shared/telemetry/gateway-signals.js';

export function getCustomerQualificationsFunction(
  access: CallerAccess,

  deps: GetCustomerQualificationsDeps,
): HttpFunctionOptions {
  return httpEndpoint(
    operations.getCustomerQualifications,
    access,
    async ({ request, call, problem }) => {
      const path = parseRequestPart(customerPathSchema, request.params, 'path');
      if (!path.ok) return problem(path.problem);
      const query = parseRequestPart(
        getQualificationsQuerySchema,
        queryObject(request.query),
        'query',
      );
      if (!query.ok) return problem(query.problem);

      const outcome = await getCustomerQualifications(
        deps,
        {
          customerId: path.value.customerId,
          refresh: query.value.refresh === 'true',
        },
        call,
      );
      recordCacheLookup(
        outcome.kind === 'found' && outcome.source === 'cache'
          ? outcome.stale
            ? 'stale'
            : 'hit'
          : 'miss',
      );
      if (outcome.kind === 'upstream-failed')
        return problem(upstreamProblem(outcome.failure, call.logger));

      const etag = weakEtag(outcome.snapshot);
      if (matchesAny(request.headers.get('if-none-match'), etag)) {
        return { status: 304, headers: { etag } };
      }
      return jsonResponse(
        200,
        {
          customerId: outcome.snapshot.customerId,
          qualifications: outcome.snapshot.qualifications,
          source: outcome.source,
          lastSyncedAt: outcome.snapshot.lastSyncedAt.toISOString(),
          stale: outcome.stale,
        },
        { etag },
      );
    },
  );
}

/**
 * Weak, because it validates what the customer is qualified for, not the bytes: the same
 * qualifications served from the cache or from Partner Center compare equal.
 */
function weakEtag(snapshot: CustomerQualifications): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([snapshot.customerId, snapshot.qualifications]))
    .digest('base64url')
    .slice(0, 27);
  return `W/"${hash}"`;
}

function matchesAny(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag));
}
