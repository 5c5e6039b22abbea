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

/**
 * Registers every function of the gateway, each with the one use case or port it calls. The only
 * place that knows them all.
 */
export function registerFunctions(registrar: FunctionRegistrar, services: Services): void {
  const { callerAccess: access } = services;
  const http = (
    operation: { readonly functionName: string },
    options: Parameters<FunctionRegistrar['http']>[1],
  ): void => {
    registrar.http(operation.functionName, options);
  };

  http(
    operations.getCustomerQualifications,
    getCustomerQualificationsFunction(access, services.readQualifications),
  );
  http(
    operations.createQualification,
    createQualificationFunction(access, services.submitQualification, services.idempotency),
  );
  http(
    operations.listValidationCodes,
    listValidationCodesFunction(access, services.listValidationCodes),
  );
  http(
    operations.getQualificationHistory,
    getQualificationHistoryFunction(access, services.history),
  );
  http(operations.listQualifications, listQualificationsFunction(access, services.statusView));
  http(operations.getVettingSummary, getVettingSummaryFunction(access, services.summarizeVetting));
  http(operations.health, healthFunction(access, services.checkHealth));
  http(operations.openApiDocument, openApiDocumentFunction(access));
  registrar.timer(REFRESH_PENDING_VETTING, refreshPendingVettingFunction(services.refreshTimer));
}
