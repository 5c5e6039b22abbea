import { z } from 'zod';
import type { CustomerId } from '../domain/customer-id.js';
import {
  SETTABLE_QUALIFICATIONS,
  canonicalSettableQualification,
  isUnsettableQualification,
} from '../domain/qualification.js';

/**
 * The gateway's request and response shapes. Handlers validate with these and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */
export const customerIdSchema = z
  .guid({ error: 'must be a GUID (the customer tenant id)' })
  .transform((id) => id.toLowerCase() as CustomerId)
  .meta({
    description: "The customer's Entra ID tenant id (any case).",
    example: '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a',
  });

export const customerPathSchema = z.strictObject({ customerId: customerIdSchema });

export const getQualificationsQuerySchema = z.strictObject({
  refresh: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .meta({ description: 'Read Partner Center even when the cached copy is young enough.' }),
});

export const getQualificationsHeadersSchema = z.object({
  'if-none-match': z.string().optional().meta({
    description: 'The ETag of a copy the caller holds: 304 when the qualifications are the same.',
  }),
});

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

export const correlationIdHeaderSchema = z.guid().optional().meta({
  description: 'Kept when a GUID is sent, generated otherwise; returned on every response.',
});

const submissionSchema = z
  .discriminatedUnion('qualification', [
    z
      .strictObject({
        qualification: z.literal('Education'),
        educationSegment: z.enum(['K12', 'HigherEducation'], {
          error: 'required for Education: K12 or HigherEducation',
        }),
        website: z
          .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
          .max(2048)
          .optional(),
      })
      .meta({ id: 'EducationSubmission' }),
    z
      .strictObject({
        qualification: z.literal('GovernmentCommunityCloud'),
        validationCode: z
          .string({
            error: 'required for GovernmentCommunityCloud: a validationId from /validation-codes',
          })
          .trim()
          .min(1, 'must not be empty')
          .max(256),
      })
      .meta({ id: 'GovernmentCommunityCloudSubmission' }),
    z
      .strictObject({ qualification: z.literal('StateOwnedEntity') })
      .meta({ id: 'StateOwnedEntitySubmission' }),
  ])
  .meta({
    id: 'CreateQualificationRequest',
    description:
      'The qualification name is matched case-insensitively. None and Nonprofit cannot be set.',
  });

/**
 * The submission body. The qualification name is matched case-insensitively first; a name that
 * exists but cannot be set, or that is no qualification, gets a sentence of its own. The OpenAPI
 * document shows the strict shape that follows.
 */
export const createQualificationBodySchema = z.preprocess((body, context) => {
  if (!isRecord(body) || typeof body.qualification !== 'string') return body;
  const name = body.qualification;
  const canonical = canonicalSettableQualification(name);
  if (canonical !== undefined) return { ...body, qualification: canonical };
  context.addIssue({
    code: 'custom',
    path: ['qualification'],
    input: name,
    message: isUnsettableQualification(name)
      ? `${name} cannot be set: Partner Center assigns None and Nonprofit itself. Settable are ${SETTABLE_QUALIFICATIONS.join(', ')}.`
      : `"${name.slice(0, 100)}" is not a qualification. Expected one of ${SETTABLE_QUALIFICATIONS.join(', ')}.`,
  });
  return body;
}, submissionSchema);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x20-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
  .optional()
  .meta({
    description:
      'Makes a retried POST safe: the same key and body within 24 h returns the first answer.',
  });

export const createQualificationHeadersSchema = z.object({
  'idempotency-key': idempotencyKeySchema,
});

export const listQualificationsQuerySchema = z.strictObject({
  vettingStatus: z
    .string({
      error: 'required: InReview, Approved, Denied, or another status Partner Center reports',
    })
    .regex(/^[A-Za-z]{1,64}$/, 'must be a status name such as InReview'),
  qualification: z
    .string()
    .regex(/^[A-Za-z]{1,64}$/, 'must be a qualification name such as Education')
    .optional(),
  pageSize: z.coerce
    .number({ error: 'must be a number from 1 to 200' })
    .int('must be a whole number')
    .min(1)
    .max(200)
    .default(50),
  continuationToken: z.string().min(1).max(2048).optional(),
});

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
