import {
  createdQualificationExamples,
  customerQualificationsExamples,
  failedHealthExamples,
  healthExamples,
  qualificationHistoryExamples,
  qualificationListExamples,
  validationCodesExamples,
  vettingSummaryExamples,
} from './response-examples.js';
import {
  mergeResponses,
  partnerCenterAnswers,
  type OperationResponses,
} from './operation-responses.js';
import type { OperationName } from './operations.js';
import {
  customerQualificationsSchema,
  healthSchema,
  openApiDocumentSchema,
  qualificationHistorySchema,
  qualificationListSchema,
  qualificationSchema,
  validationCodesSchema,
  vettingSummarySchema,
} from './response-body-schemas.js';

const replayable = { 'Idempotent-Replayed': 'sometimes' } as const;

/**
 * What each operation of `operations` itself answers, under the same name: every operation has
 * its entry. What the HTTP edge answers for every operation (400 for a bad request, 401/403,
 * 413/415 for a body, 503 without storage, 500) is added by `responsesOf`. Documentation only:
 * the OpenAPI document, loaded on its first request, is what imports this, so a cold start builds
 * none of these response schemas and examples.
 */
export const documentedResponses: Readonly<Record<OperationName, OperationResponses>> = {
  getCustomerQualifications: mergeResponses(
    partnerCenterAnswers({ identity: 'app-only', staleCopy: true }),
    {
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
    },
  ),
  createQualification: mergeResponses(
    partnerCenterAnswers({ identity: 'caller', staleCopy: false }),
    {
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
    },
  ),
  listQualifications: {
    200: {
      description: 'One page.',
      schema: qualificationListSchema,
      examples: qualificationListExamples,
    },
  },
  getVettingSummary: {
    200: {
      description: 'The summary.',
      schema: vettingSummarySchema,
      examples: vettingSummaryExamples,
    },
  },
  getQualificationHistory: {
    200: {
      description: 'The recorded changes.',
      schema: qualificationHistorySchema,
      examples: qualificationHistoryExamples,
    },
  },
  listValidationCodes: mergeResponses(
    partnerCenterAnswers({ identity: 'app-only', staleCopy: false }),
    {
      200: {
        description: 'The validation codes.',
        schema: validationCodesSchema,
        examples: validationCodesExamples,
      },
    },
  ),
  health: {
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
  openApiDocument: {
    200: { description: 'The OpenAPI 3.1 document.', schema: openApiDocumentSchema },
  },
};
