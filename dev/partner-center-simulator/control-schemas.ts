import * as z from 'zod';
import { isGuid } from '../../shared/domain/customer-id.js';
import {
  canonicalQualificationName,
  canonicalVettingStatus,
  qualificationKeyOf,
} from './vocabulary.js';

// Only D-format GUIDs (8-4-4-4-12); the braced and undashed .NET formats are not accepted.
const guid = z
  .string()
  .refine(isGuid, 'must be a GUID (8-4-4-4-12 hex digits)')
  .transform((value) => value.toLowerCase());

// Partner Center writes both `2020-12-04T20:54:24Z` and `2021-05-06T19:59:56.6832021+00:00`.
const dateText = z.iso.datetime({ offset: true });

/**
 * A qualification in the response shape. Known names and statuses are made canonical; other
 * values are kept as data, so tests can seed the statuses the docs only hint at ("etc.").
 */
const qualificationSeedSchema = z
  .strictObject({
    qualification: z.string().trim().min(1).transform(canonicalQualificationName),
    vettingStatus: z.string().trim().min(1).transform(canonicalVettingStatus).optional(),
    vettingReason: z.string().optional(),
    vettingCreateDate: dateText.optional(),
    vettingCreatedDate: dateText.optional(),
  })
  .refine((q) => q.vettingCreateDate === undefined || q.vettingCreatedDate === undefined, {
    message: 'Give vettingCreateDate or vettingCreatedDate, not both.',
  });

export const customerSeedSchema = z
  .strictObject({
    customerId: guid.optional(),
    qualifications: z.array(qualificationSeedSchema).max(20).default([]),
    commerceRelationship: z.boolean().default(true),
  })
  .superRefine((customer, ctx) => {
    const seen = new Set<string>();
    customer.qualifications.forEach((item, index) => {
      const key = qualificationKeyOf(item.qualification);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `${item.qualification} appears more than once.`,
          path: ['qualifications', index, 'qualification'],
        });
      }
      seen.add(key);
    });
  });

export type CustomerSeed = z.output<typeof customerSeedSchema>;

const MAX_BULK_CUSTOMERS = 100_000;

export const customerSeedListSchema = z.array(customerSeedSchema).min(1).max(MAX_BULK_CUSTOMERS);

export const decisionSchema = z.strictObject({
  vettingStatus: z.enum(['Approved', 'Denied']),
  vettingReason: z.string().min(1).optional(),
});

export interface Issue {
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
