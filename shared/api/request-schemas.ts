import * as z from 'zod/mini';
import type { CustomerId } from '../domain/customer-id.js';
import {
  SETTABLE_QUALIFICATIONS,
  canonicalSettableQualification,
  isUnsettableQualification,
} from '../domain/qualification.js';
import '../zod-english.js';

/**
 * The gateway's request parts: path, query, headers and body of each operation. The HTTP edge
 * parses every request with these and the OpenAPI document is generated from them, so the two
 * cannot drift apart. Metadata for the document is registered in zod's global registry (what
 * `.meta()` does in zod classic), which zod-openapi reads.
 */
export const customerIdSchema = z
  .pipe(
    z.guid({ error: 'must be a GUID (the customer tenant id)' }),
    z.transform((id: string) => id.toLowerCase() as CustomerId),
  )
  .register(z.globalRegistry, {
    description: "The customer's Entra ID tenant id (any case).",
    example: '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a',
  });

export const customerPathSchema = z.strictObject({ customerId: customerIdSchema });

export const getQualificationsQuerySchema = z.strictObject({
  refresh: z
    .optional(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .register(z.globalRegistry, {
      description: 'Read Partner Center even when the cached copy is young enough.',
    }),
});

export const getQualificationsHeadersSchema = z.object({
  'if-none-match': z.optional(z.string()).register(z.globalRegistry, {
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
        website: z.optional(
          z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(z.maxLength(2048)),
        ),
      })
      .register(z.globalRegistry, { id: 'EducationSubmission' }),
    z
      .strictObject({
        qualification: z.literal('GovernmentCommunityCloud'),
        validationCode: z
          .string({
            error: 'required for GovernmentCommunityCloud: a validationId from /validation-codes',
          })
          .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(256)),
      })
      .register(z.globalRegistry, { id: 'GovernmentCommunityCloudSubmission' }),
    z
      .strictObject({ qualification: z.literal('StateOwnedEntity') })
      .register(z.globalRegistry, { id: 'StateOwnedEntitySubmission' }),
  ])
  .register(z.globalRegistry, {
    id: 'CreateQualificationRequest',
    description:
      'The qualification name is matched case-insensitively. None and Nonprofit cannot be set.',
  });

/**
 * The submission body. The qualification name is matched case-insensitively first; a name that
 * exists but cannot be set, or that is no qualification, gets a sentence of its own. The OpenAPI
 * document shows the strict shape that follows. (zod classic's `z.preprocess` is this pipe.)
 */
export const createQualificationBodySchema = z.pipe(
  z.transform((body: unknown, context) => {
    if (!isRecord(body) || typeof body.qualification !== 'string') return body;
    const name = body.qualification;
    const canonical = canonicalSettableQualification(name);
    if (canonical !== undefined) return { ...body, qualification: canonical };
    context.issues.push({
      code: 'custom',
      path: ['qualification'],
      input: name,
      message: isUnsettableQualification(name)
        ? `${name} cannot be set: Partner Center assigns None and Nonprofit itself. Settable are ${SETTABLE_QUALIFICATIONS.join(', ')}.`
        : `"${name.slice(0, 100)}" is not a qualification. Expected one of ${SETTABLE_QUALIFICATIONS.join(', ')}.`,
    });
    return body;
  }),
  submissionSchema,
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const idempotencyKeySchema = z
  .optional(
    z
      .string()
      .check(z.regex(/^[\x20-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters')),
  )
  .register(z.globalRegistry, {
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
    .check(z.regex(/^[A-Za-z]{1,64}$/, 'must be a status name such as InReview')),
  qualification: z.optional(
    z.string().check(z.regex(/^[A-Za-z]{1,64}$/, 'must be a qualification name such as Education')),
  ),
  pageSize: z._default(
    z.coerce
      .number({ error: 'must be a number from 1 to 200' })
      .check(z.int('must be a whole number'), z.gte(1), z.lte(200)),
    50,
  ),
  continuationToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const summaryQuerySchema = z.strictObject({
  days: z
    ._default(
      z.coerce
        .number({ error: 'must be a number of days from 1 to 365' })
        .check(z.int('must be a whole number'), z.gte(1), z.lte(365)),
      90,
    )
    .register(z.globalRegistry, {
      description: 'The window of decision times and denial reasons, in days back from now.',
    }),
});
