import type { Operation } from './operation.js';
import {
  createQualificationBodySchema,
  createQualificationHeadersSchema,
  customerPathSchema,
  getQualificationsHeadersSchema,
  getQualificationsQuerySchema,
  listQualificationsQuerySchema,
  summaryQuerySchema,
} from './request-schemas.js';

export type { Access, Operation } from './operation.js';

const example = (summary: string, value: unknown) => ({ summary, value });

const createQualificationBodyExamples = {
  education: example('Education', {
    qualification: 'Education',
    educationSegment: 'K12',
    website: 'https://school.example.edu',
  }),
  governmentCommunityCloud: example('Government Community Cloud', {
    qualification: 'GovernmentCommunityCloud',
    validationCode: '1234567',
  }),
  stateOwnedEntity: example('State-owned entity', { qualification: 'StateOwnedEntity' }),
};

/**
 * Every HTTP operation of the gateway, once. Function registrations, handlers and the OpenAPI
 * document all read this list; what each answers is described in `documented-responses.ts`,
 * keyed as here.
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
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;
