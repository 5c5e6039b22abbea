import type { z } from 'zod';
import type { AppRole } from '../auth/access-policy.js';
import {
  createQualificationBodySchema,
  createQualificationHeadersSchema,
  customerPathSchema,
  customerQualificationsSchema,
  getQualificationsQuerySchema,
  listQualificationsQuerySchema,
  qualificationHistorySchema,
  qualificationListSchema,
  qualificationSchema,
  healthSchema,
  validationCodesSchema,
} from './schemas.js';
import { summaryQuerySchema, vettingSummarySchema } from './summary-schemas.js';

export type Access = 'anonymous' | AppRole;

export interface OperationResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Response headers worth documenting beyond `x-correlation-id`. */
  readonly headers?: readonly string[];
}

export interface Operation {
  /** The Azure Functions function name. */
  readonly functionName: string;
  readonly method: 'GET' | 'POST';
  /** Route under the host's prefix (`api/v1`), in Functions route-template syntax. */
  readonly route: string;
  readonly summary: string;
  readonly access: Access;
  readonly request: {
    readonly path?: z.ZodObject;
    readonly query?: z.ZodObject;
    readonly headers?: z.ZodObject;
    readonly body?: z.ZodType;
  };
  /** Success and specific responses; the common error responses are added for every route. */
  readonly responses: Readonly<Record<number, OperationResponse>>;
}

/**
 * Every HTTP operation of the gateway, once. Function registrations, handlers and the OpenAPI
 * document all read this list.
 */
export const operations = {
  getCustomerQualifications: {
    functionName: 'get-customer-qualifications',
    method: 'GET',
    route: 'customers/{customerId}/qualifications',
    summary: "A customer's qualifications, from the cache or Partner Center.",
    access: 'Qualifications.Read',
    request: { path: customerPathSchema, query: getQualificationsQuerySchema },
    responses: {
      200: {
        description: 'The last known qualifications.',
        schema: customerQualificationsSchema,
        headers: ['ETag'],
      },
      304: { description: 'Not modified since the ETag in If-None-Match.', headers: ['ETag'] },
      404: { description: 'Partner Center does not know this customer.' },
      502: { description: 'Partner Center failed and no cached copy exists.' },
      503: {
        description: 'Partner Center throttled or is cut off, and no cached copy exists.',
        headers: ['Retry-After'],
      },
      504: { description: 'Partner Center did not answer in time and no cached copy exists.' },
    },
  },
  createQualification: {
    functionName: 'create-qualification',
    method: 'POST',
    route: 'customers/{customerId}/qualifications',
    summary: 'Submit a qualification for vetting by Partner Center.',
    access: 'Qualifications.Write',
    request: {
      path: customerPathSchema,
      headers: createQualificationHeadersSchema,
      body: createQualificationBodySchema,
    },
    responses: {
      201: {
        description: 'Partner Center accepted the submission; vetting usually starts InReview.',
        schema: qualificationSchema,
        headers: ['Location', 'Idempotent-Replayed'],
      },
      404: { description: 'Partner Center does not know this customer.' },
      409: {
        description:
          'Partner Center refused (already submitted, not combinable), or the same Idempotency-Key is still in flight.',
      },
      413: { description: 'The body is larger than 64 KiB.' },
      415: { description: 'The body is not JSON.' },
      422: { description: 'The Idempotency-Key was used with a different request.' },
      502: { description: 'Partner Center failed or refused the gateway.' },
      503: { description: 'Partner Center throttled.', headers: ['Retry-After'] },
      504: {
        description:
          'Partner Center did not answer in time. The outcome is settled later; retry with the same Idempotency-Key.',
      },
    },
  },
  listQualifications: {
    functionName: 'list-qualifications',
    method: 'GET',
    route: 'qualifications',
    summary: 'Qualifications by vetting status across customers, from the cache only.',
    access: 'Qualifications.Read',
    request: { query: listQualificationsQuerySchema },
    responses: {
      200: {
        description: 'One page; pass continuationToken back for the next.',
        schema: qualificationListSchema,
      },
    },
  },
  getVettingSummary: {
    functionName: 'get-vetting-summary',
    method: 'GET',
    route: 'qualifications/summary',
    summary:
      'Vetting insight: counts by qualification and status, pending age, decision time and denial reasons, from the cache only.',
    access: 'Qualifications.Read',
    request: { query: summaryQuerySchema },
    responses: {
      200: { description: 'The summary.', schema: vettingSummarySchema },
    },
  },
  getQualificationHistory: {
    functionName: 'get-qualification-history',
    method: 'GET',
    route: 'customers/{customerId}/qualifications/history',
    summary: "A customer's vetting status changes, newest first.",
    access: 'Qualifications.Read',
    request: { path: customerPathSchema },
    responses: {
      200: { description: 'The recorded changes.', schema: qualificationHistorySchema },
    },
  },
  listValidationCodes: {
    functionName: 'list-validation-codes',
    method: 'GET',
    route: 'validation-codes',
    summary: "The partner's Government Community Cloud validation codes.",
    access: 'Qualifications.Read',
    request: {},
    responses: {
      200: { description: 'The validation codes.', schema: validationCodesSchema },
      502: { description: 'Partner Center failed.' },
      503: { description: 'Partner Center throttled.', headers: ['Retry-After'] },
      504: { description: 'Partner Center did not answer in time.' },
    },
  },
  health: {
    functionName: 'health',
    method: 'GET',
    route: 'health',
    summary: 'Whether storage and Partner Center can be used.',
    access: 'anonymous',
    request: {},
    responses: {
      200: { description: 'Healthy.', schema: healthSchema },
      503: { description: 'A check failed.', schema: healthSchema },
    },
  },
  openApiDocument: {
    functionName: 'openapi-document',
    method: 'GET',
    route: 'openapi.json',
    summary: 'This document.',
    access: 'anonymous',
    request: {},
    responses: { 200: { description: 'The OpenAPI 3.1 document.' } },
  },
} as const satisfies Record<string, Operation>;
