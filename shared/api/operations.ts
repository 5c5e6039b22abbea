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
  /** The group the OpenAPI document lists it under. */
  readonly tag: 'Qualifications' | 'Submissions' | 'Partner' | 'Service';
  /** Whether it reads or writes the gateway's storage, and so may answer 503 while it is down. */
  readonly usesStorage: boolean;
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
    tag: 'Qualifications',
    usesStorage: true,
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
      403: {
        description:
          'The token lacks the app role, the calling application is not allowed, or Partner Center refuses this customer (`no-customer-relationship`).',
      },
      404: { description: 'Partner Center does not know this customer.' },
      502: {
        description:
          'Partner Center failed or answered with the wrong shape (`invalid-upstream-response`), and no cached copy exists.',
      },
      503: {
        description:
          'Partner Center throttled or is cut off, or its app-only token cannot be had now (`credential-unavailable`), and no cached copy exists.',
        headers: ['Retry-After'],
      },
      504: { description: 'Partner Center did not answer in time and no cached copy exists.' },
    },
  },
  createQualification: {
    functionName: 'create-qualification',
    tag: 'Submissions',
    usesStorage: true,
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
        headers: ['Location', 'Idempotent-Replayed', 'Gateway-Recorded'],
      },
      401: {
        description:
          'Missing or invalid bearer token, or (On-Behalf-Of) a user who did not sign in with MFA (`mfa-required`).',
      },
      403: {
        description:
          "The token lacks the app role, the calling application is not allowed, Partner Center refuses this customer (`no-customer-relationship`), or (On-Behalf-Of) the caller's user or token is refused (`refused-by-partner-center`, `on-behalf-of-refused`).",
      },
      404: { description: 'Partner Center does not know this customer.' },
      409: {
        description:
          'Partner Center refused (already submitted, not combinable), or the same Idempotency-Key is still in flight.',
      },
      413: { description: 'The body is larger than 64 KiB.' },
      415: { description: 'The body is not JSON.' },
      422: { description: 'The Idempotency-Key was used with a different request.' },
      429: {
        description: 'The customer has as many submissions awaiting Partner Center as it may.',
        headers: ['Retry-After'],
      },
      502: {
        description:
          'Partner Center failed or refused the gateway, or the App+User credential needs an operator (`credential-unavailable`).',
      },
      503: {
        description:
          'Partner Center throttled, or the App+User token cannot be had now (`credential-unavailable`).',
        headers: ['Retry-After'],
      },
      504: {
        description:
          'Partner Center did not answer in time. The outcome is settled later; retry with the same Idempotency-Key.',
      },
    },
  },
  listQualifications: {
    functionName: 'list-qualifications',
    tag: 'Qualifications',
    usesStorage: true,
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
    tag: 'Qualifications',
    usesStorage: true,
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
    tag: 'Qualifications',
    usesStorage: true,
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
    tag: 'Partner',
    usesStorage: false,
    method: 'GET',
    route: 'validation-codes',
    summary: "The partner's Government Community Cloud validation codes.",
    access: 'Qualifications.Read',
    request: {},
    responses: {
      200: { description: 'The validation codes.', schema: validationCodesSchema },
      502: { description: 'Partner Center failed, or the app-only credential needs an operator.' },
      503: {
        description:
          'Partner Center throttled, or the app-only token cannot be had now (`credential-unavailable`).',
        headers: ['Retry-After'],
      },
      504: { description: 'Partner Center did not answer in time.' },
    },
  },
  health: {
    functionName: 'health',
    tag: 'Service',
    usesStorage: true,
    method: 'GET',
    route: 'health',
    summary: 'Whether reads can be served: storage, Partner Center and each identity, apart.',
    access: 'anonymous',
    request: {},
    responses: {
      200: { description: 'Reads are served (`ok`, or `degraded`).', schema: healthSchema },
      503: { description: 'Reads cannot be served.', schema: healthSchema },
    },
  },
  openApiDocument: {
    functionName: 'openapi-document',
    tag: 'Service',
    usesStorage: false,
    method: 'GET',
    route: 'openapi.json',
    summary: 'This document.',
    access: 'anonymous',
    request: {},
    responses: { 200: { description: 'The OpenAPI 3.1 document.' } },
  },
} as const satisfies Record<string, Operation>;
