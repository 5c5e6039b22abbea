import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { checkHealth, type HealthReport } from '../shared/application/check-health.js';
import type { CustomerStore, PartnerCenter } from '../shared/domain/ports.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export interface HealthDeps {
  readonly store: CustomerStore;
  readonly partnerCenter: PartnerCenter;
}

export function healthFunction(access: CallerAccess, deps: HealthDeps): HttpFunctionOptions {
  return httpEndpoint(operations.health, access, async ({ call }) => {
    const report: HealthReport = await checkHealth(deps.store, deps.partnerCenter, call.logger);
    // 503 only when reads cannot be served: a degraded gateway is still worth routing to.
    return jsonResponse(
      report.status === 'fail' ? 503 : 200,
      { status: report.status, checks: report.checks },
      { 'cache-control': 'no-store' },
    );
  });
}
