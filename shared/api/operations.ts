import {
  createdQualificationExamples,
  createQualificationBodyExamples,
  customerQualificationsExamples,
  failedHealthExamples,
  healthExamples,
  qualificationHistoryExamples,
  qualificationListExamples,
  validationCodesExamples,
  vettingSummaryExamples,
} from './examples.js';
import type { Operation } from './operation.js';
import { mergeResponses, partnerCenterAnswers } from './operation-responses.js';
import {
  createQualificationBodySchema,
  createQualificationHeadersSchema,
  customerPathSchema,
  customerQualificationsSchema,
  getQualificationsHeadersSchema,
  getQualificationsQuerySchema,
  listQualificationsQuerySchema,
  openApiDocumentSchema,
  qualificationHistorySchema,
  qualificationListSchema,
  qualificationSchema,
  healthSchema,
  validationCodesSchema,
} from './schemas.js';
import { summaryQuerySchema, vettingSummarySchema } from './summary-schemas.js';

export type { Access, Operation, OperationResponse } from './operation.js';

const replayable = { 'Idempotent-Replayed': 'sometimes' } as const;

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
    summary: "A customer's qualifications",
    description:
      'From the cache while it is younger than CACHE_MAX_AGE_SECONDS; otherwise, with refresh=true, or while a submission is unsettled, from Partner Center (and stored). When Partner Center cannot be used and a cached copy exists, that copy comes back with "stale": true. Send the ETag back in If-None-Match to get 304 when nothing changed.',
    access: 'Qualifications.Read',
    request: {
      path: customerPathSchema,
      query: getQualificationsQuerySchema,
      headers: getQualificationsHeadersSchema,
    },
    responses: mergeResponses(partnerCenterAnswers({ identity: 'app-only', staleCopy: true }), {
      200: {
        description: 'The last known qualifications.',
        schema: customerQualificationsSchema,
        headers: { ETag: 'always' },
        examples: customerQualificationsExamples,
      },
      304: {
        description: 'Nothing changed since the ETag sent in If-None-Match.',
        headers: { ETag: 'always' },
      },
      503: {
        description: 'Or concurrent updates of the customer outran its retries.',
        problems: ['busy'],
        headers: { 'Retry-After': 'always' },
      },
    }),
  },
  createQualification: {
    functionName: 'create-qualification',
    tag: 'Submissions',
    usesStorage: true,
    method: 'POST',
    route: 'customers/{customerId}/qualifications',
    summary: 'Submit a qualification for vetting',
    description:
      'Checks what Partner Center would refuse for its shape first (400, no upstream call), records the submission, then submits it to Partner Center. Right after a 201, a read shows the new qualification and an InReview one is watched by the refresh timer. Send an Idempotency-Key to retry safely: a repeat within 24 h gets the first answer again with Idempotent-Replayed: true.',
    access: 'Qualifications.Write',
    request: {
      path: customerPathSchema,
      headers: createQualificationHeadersSchema,
      body: createQualificationBodySchema,
      bodyExamples: createQualificationBodyExamples,
    },
    responses: mergeResponses(partnerCenterAnswers({ identity: 'caller', staleCopy: false }), {
      201: {
        description:
          'Partner Center accepted the submission; vetting usually starts InReview. Gateway-Recorded: false when the gateway could not record it yet (the next read or timer run does).',
        schema: qualificationSchema,
        headers: { Location: 'always', ...replayable, 'Gateway-Recorded': 'sometimes' },
        examples: createdQualificationExamples,
      },
      400: { description: '', headers: replayable },
      404: { description: '', headers: replayable },
      409: {
        description: 'Or a request with the same Idempotency-Key is still in flight.',
        problems: ['request-in-flight'],
        headers: { 'Retry-After': 'always', ...replayable },
      },
      422: {
        description: 'The Idempotency-Key was used with a different request.',
        problems: ['idempotency-key-reused'],
      },
      429: {
        description: 'The customer has as many submissions awaiting Partner Center as it may.',
        problems: ['too-many-submissions-in-flight'],
        headers: { 'Retry-After': 'always' },
      },
      503: {
        description: 'Or concurrent updates of the customer outran its retries.',
        problems: ['busy'],
        headers: { 'Retry-After': 'always' },
      },
    }),
  },
  listQualifications: {
    functionName: 'list-qualifications',
    tag: 'Qualifications',
    usesStorage: true,
    method: 'GET',
    route: 'qualifications',
    summary: 'Qualifications by vetting status, across customers',
    description:
      'From the cache only, no Partner Center call: the by-status view the gateway keeps. Paged: pass continuationToken back for the next page; null means the last.',
    access: 'Qualifications.Read',
    request: { query: listQualificationsQuerySchema },
    responses: {
      200: {
        description: 'One page.',
        schema: qualificationListSchema,
        examples: qualificationListExamples,
      },
    },
  },
  getVettingSummary: {
    functionName: 'get-vetting-summary',
    tag: 'Qualifications',
    usesStorage: true,
    method: 'GET',
    route: 'qualifications/summary',
    summary: 'Vetting insight across customers',
    description:
      "From the gateway's own tables, no Partner Center call: counts by qualification and status, pending age, decision time and denial reasons over the last `days`. Bounded: at most 50,000 rows per part (truncated: true beyond).",
    access: 'Qualifications.Read',
    request: { query: summaryQuerySchema },
    responses: {
      200: {
        description: 'The summary.',
        schema: vettingSummarySchema,
        examples: vettingSummaryExamples,
      },
    },
  },
  getQualificationHistory: {
    functionName: 'get-qualification-history',
    tag: 'Qualifications',
    usesStorage: true,
    method: 'GET',
    route: 'customers/{customerId}/qualifications/history',
    summary: "A customer's vetting status changes",
    description:
      'Newest first (at most 500), each with what noticed it: a submission, the refresh timer or a read. A customer the gateway never saw has none.',
    access: 'Qualifications.Read',
    request: { path: customerPathSchema },
    responses: {
      200: {
        description: 'The recorded changes.',
        schema: qualificationHistorySchema,
        examples: qualificationHistoryExamples,
      },
    },
  },
  listValidationCodes: {
    functionName: 'list-validation-codes',
    tag: 'Partner',
    usesStorage: false,
    method: 'GET',
    route: 'validation-codes',
    summary: "The partner's Government Community Cloud validation codes",
    description:
      'Live from Partner Center, with the app-only identity. A GovernmentCommunityCloud submission names one of them as its validationCode.',
    access: 'Qualifications.Read',
    request: {},
    responses: mergeResponses(partnerCenterAnswers({ identity: 'app-only', staleCopy: false }), {
      200: {
        description: 'The validation codes.',
        schema: validationCodesSchema,
        examples: validationCodesExamples,
      },
    }),
  },
  health: {
    functionName: 'health',
    tag: 'Service',
    usesStorage: true,
    method: 'GET',
    route: 'health',
    summary: 'Whether reads can be served',
    description:
      'Storage, Partner Center and each identity, reported apart. Cheap enough to probe every few seconds: Partner Center and the identities are judged by recent calls, never called.',
    access: 'anonymous',
    request: {},
    responses: {
      200: {
        description: 'Reads are served (`ok`, or `degraded` when only submissions cannot be made).',
        schema: healthSchema,
        headers: { 'Cache-Control': 'always' },
        examples: healthExamples,
      },
      503: {
        description: 'Reads cannot be served.',
        schema: healthSchema,
        headers: { 'Cache-Control': 'always' },
        examples: failedHealthExamples,
      },
    },
  },
  openApiDocument: {
    functionName: 'openapi-document',
    tag: 'Service',
    usesStorage: false,
    method: 'GET',
    route: 'openapi.json',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the gateway, as docs/openapi.json in its sources.',
    access: 'anonymous',
    request: {},
    responses: {
      200: { description: 'The OpenAPI 3.1 document.', schema: openApiDocumentSchema },
    },
  },
} as const satisfies Record<string, Operation>;
