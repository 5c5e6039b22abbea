import { operations } from '../shared/api/operations.js';
import type { Services } from '../shared/composition-root.js';
import { createQualificationFunction } from './create-qualification.js';
import type { FunctionRegistrar } from './function-registrar.js';
import { getCustomerQualificationsFunction } from './get-customer-qualifications.js';
import { getQualificationHistoryFunction } from './get-qualification-history.js';
import { getVettingSummaryFunction } from './get-vetting-summary.js';
import { healthFunction } from './health.js';
import { listQualificationsFunction } from './list-qualifications.js';
import { refreshPendingVettingFunction } from './refresh-pending-vetting.js';
import { listValidationCodesFunction } from './list-validation-codes.js';
import { openApiDocumentFunction } from './openapi-document.js';

export const REFRESH_PENDING_VETTING = 'refresh-pending-vetting';

/** Registers every function of the gateway. The only place that knows them all. */
export function registerFunctions(registrar: FunctionRegistrar, services: Services): void {
  const { partnerCenter, store, config, callerAccess: access } = services;
  registrar.http(
    operations.getCustomerQualifications.functionName,
    getCustomerQualificationsFunction(access, {
      ...services,
      cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    }),
  );
  registrar.http(
    operations.createQualification.functionName,
    createQualificationFunction(access, services),
  );
  registrar.http(
    operations.listValidationCodes.functionName,
    listValidationCodesFunction(access, services),
  );
  registrar.http(
    operations.getQualificationHistory.functionName,
    getQualificationHistoryFunction(access, store),
  );
  registrar.http(
    operations.listQualifications.functionName,
    listQualificationsFunction(access, services.statusIndex),
  );
  registrar.http(
    operations.getVettingSummary.functionName,
    getVettingSummaryFunction(access, services.vettingSummary),
  );
  registrar.http(operations.health.functionName, healthFunction(access, { store, partnerCenter }));
  registrar.http(operations.openApiDocument.functionName, openApiDocumentFunction(access));
  registrar.timer(
    REFRESH_PENDING_VETTING,
    refreshPendingVettingFunction({
      ...services,
      schedule: config.vettingRefresh.schedule,
      limits: config.vettingRefresh,
      purgeExpiredIdempotencyRecords: (limit, signal) =>
        services.idempotency.purgeExpired(limit, signal),
    }),
  );
}
