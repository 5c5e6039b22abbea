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
    return jsonResponse(
      report.healthy ? 200 : 503,
      { status: report.healthy ? 'ok' : 'fail', checks: report.checks },
      { 'cache-control': 'no-store' },
    );
  });
}
