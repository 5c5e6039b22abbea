import * as z from 'zod';

/**
 * The bodies the gateway answers with, as the OpenAPI document describes them. Documentation only:
 * the handlers build their answers from typed values, so nothing validates against these at run
 * time, and only the document (loaded on its first request) imports them; a cold start does not
 * build them.
 */

export const qualificationSchema = z
  .object({
    qualification: z.string().meta({ example: 'Education' }),
    vettingStatus: z.string().optional().meta({
      description: 'InReview, Approved, Denied, or a newer value Partner Center reports.',
    }),
    vettingReason: z.string().optional(),
    vettingCreateDate: z.string().optional(),
  })
  .meta({ id: 'Qualification' });

export const customerQualificationsSchema = z
  .object({
    customerId: z.string(),
    qualifications: z.array(qualificationSchema),
    source: z.enum(['cache', 'partner-center']),
    lastSyncedAt: z.iso.datetime(),
    stale: z.boolean().meta({
      description: 'True when Partner Center could not be reached and this is the last known copy.',
    }),
  })
  .meta({ id: 'CustomerQualifications' });

export const validationCodesSchema = z
  .object({
    validationCodes: z.array(
      z.object({
        partnerId: z.string(),
        organizationName: z.string(),
        validationId: z.string(),
        maxCreates: z.number().int().nullable().optional(),
        remainingCreates: z.number().int().nullable().optional(),
      }),
    ),
  })
  .meta({ id: 'ValidationCodes' });

const checkStatusSchema = z.enum(['ok', 'fail']);
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'fail']),
    checks: z.object({
      storage: checkStatusSchema,
      partnerCenter: checkStatusSchema,
      appOnlyCredential: checkStatusSchema,
      appUserCredential: z.enum(['ok', 'fail', 'not-configured']),
      events: checkStatusSchema,
    }),
  })
  .meta({ id: 'Health' });

export const problemDetailsSchema = z
  .object({
    type: z.string().meta({
      description:
        'docs/problems.md#<name>: the entry of docs/problems.md (shipped with the sources) that explains this kind of problem. Decide on it, not on the title.',
      example: 'docs/problems.md#upstream-circuit-open',
    }),
    title: z.string().meta({ description: "The problem type's title." }),
    status: z.number().int().meta({ description: 'The HTTP status of this response.' }),
    detail: z.string().meta({ description: 'What happened to this request, in words.' }),
    correlationId: z.string().meta({
      description: 'The x-correlation-id of the request: every log line of it carries this.',
    }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each bad field, as <part>.<field> (invalid-request).' }),
    upstream: z
      .object({
        status: z.number().int(),
        code: z.union([z.string(), z.number()]).optional(),
        description: z.string().optional(),
      })
      .optional()
      .meta({ description: 'What Partner Center answered, when the problem is its answer.' }),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details.' });

export const qualificationListSchema = z
  .object({
    items: z.array(
      z.object({
        customerId: z.string(),
        qualification: z.string(),
        vettingStatus: z.string(),
        vettingCreateDate: z.string().optional(),
        lastSyncedAt: z.iso.datetime(),
      }),
    ),
    continuationToken: z.string().nullable(),
  })
  .meta({ id: 'QualificationList' });

export const qualificationHistorySchema = z
  .object({
    customerId: z.string(),
    events: z.array(
      z.object({
        at: z.iso.datetime(),
        qualification: z.string(),
        from: z.string().nullable(),
        to: z.string(),
        vettingReason: z.string().optional(),
        trigger: z.enum(['submit', 'refresh', 'read']),
      }),
    ),
  })
  .meta({ id: 'QualificationHistory' });

export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document.' });

const seconds = (description: string) => z.number().nonnegative().meta({ description });

export const vettingSummarySchema = z
  .object({
    generatedAt: z.iso.datetime(),
    counts: z
      .array(z.object({ qualification: z.string(), vettingStatus: z.string(), count: z.int() }))
      .meta({ description: 'Qualifications of the known customers, by qualification and status.' }),
    pending: z
      .array(
        z.object({
          qualification: z.string(),
          count: z.int(),
          oldestSeconds: seconds('Age of the oldest InReview vetting.').nullable(),
          p50Seconds: seconds('Median age of the InReview vettings.').nullable(),
          p90Seconds: seconds('90th percentile age of the InReview vettings.').nullable(),
        }),
      )
      .meta({
        description:
          'InReview vettings by qualification, aged from their vettingCreateDate (null: no date known).',
      }),
    decisions: z.object({
      days: z.int(),
      since: z.iso.datetime(),
      times: z
        .array(
          z.object({
            qualification: z.string(),
            outcome: z.enum(['Approved', 'Denied']),
            count: z.int(),
            p50Seconds: seconds('Median time from submission to the decision.'),
            p90Seconds: seconds('90th percentile time from submission to the decision.'),
          }),
        )
        .meta({ description: 'Vettings decided in the window, by qualification and outcome.' }),
      denialReasons: z
        .array(z.object({ reason: z.string(), count: z.int() }))
        .meta({ description: 'Reasons of the denials in the window, most frequent first.' }),
    }),
    truncated: z.boolean().meta({
      description:
        'True when a part read its maximum of rows (50,000): its figures then cover those rows only.',
    }),
  })
  .meta({ id: 'VettingSummary' });
