import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { ReadQualifications } from '../shared/application/use-cases.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { noneMatchHits, qualificationsEtag } from '../shared/http/etag.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';
import { recordCacheLookup } from '../shared/telemetry/gateway-signals.js';

export function getCustomerQualificationsFunction(
  access: CallerAccess,
  readQualifications: ReadQualifications,
): HttpFunctionOptions {
  return httpEndpoint(
    operations.getCustomerQualifications,
    access,
    async ({ path, query, headers, call, problem }) => {
      const outcome = await readQualifications(
        { customerId: path.customerId, refresh: query.refresh === 'true' },
        call,
      );
      recordCacheLookup(outcome);
      if (outcome.kind === 'upstream-failed')
        return problem(upstreamProblem(outcome.failure, call.logger));

      const { snapshot, source, stale } = outcome;
      const etag = qualificationsEtag(snapshot);
      if (noneMatchHits(headers['if-none-match'], etag)) return { status: 304, headers: { etag } };
      return jsonResponse(
        200,
        {
          customerId: snapshot.customerId,
          qualifications: snapshot.qualifications,
          source,
          lastSyncedAt: snapshot.lastSyncedAt.toISOString(),
          stale,
        },
        { etag },
      );
    },
  );
}
