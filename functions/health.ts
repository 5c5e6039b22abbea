import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { CheckHealth } from '../shared/application/use-cases.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export function healthFunction(
  access: CallerAccess,
  checkHealth: CheckHealth,
): HttpFunctionOptions {
  return httpEndpoint(operations.health, access, async ({ call }) => {
    const report = await checkHealth(call.logger);
    // 503 only when reads cannot be served: a degraded gateway is still worth routing to.
    return jsonResponse(
      report.status === 'fail' ? 503 : 200,
      { status: report.status, checks: report.checks },
      { 'cache-control': 'no-store' },
    );
  });
}
