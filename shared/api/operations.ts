import type { z } from 'zod';
import {
  customerPathSchema,
  customerQualificationsSchema,
  getQualificationsQuerySchema,
  healthSchema,
  validationCodesSchema,
} from './schemas.js';

export type Access = 'anonymous' | 'Qualifications.Read' | 'Qualifications.Write';

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
