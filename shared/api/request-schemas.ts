import * as z from 'zod';
import type { CustomerId } from '../domain/customer-id.js';
import {
  SETTABLE_QUALIFICATIONS,
  canonicalSettableQualification,
  isUnsettableQualification,
} from '../domain/qualification.js';

/**
 * The gateway's request parts: path, query, headers and body of each operation. The HTTP edge
 * parses every request with these and the OpenAPI document is generated from them, so the two
 * cannot drift apart.
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

export const summaryQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: 'must be a number of days from 1 to 365' })
    .int('must be a whole number')
    .min(1)
    .max(365)
    .default(90)
    .meta({
      description: 'The window of decision times and denial reasons, in days back from now.',
    }),
});
