import * as z from 'zod/mini';
import '../zod-english.js';

/**
 * Partner Center's answers, validated before anything is believed. Tolerant where Partner
 * Center's own documentation is inconsistent: the `vettingCreatedDate` spelling, statuses beyond
 * the three documented ones, numeric or string error codes, extra fields.
 *
 * Each is made on its first parse (`z.lazy`), not while an instance starts: a cold start builds
 * none of them, and the first call to Partner Center costs far more than making them.
 */
export const upstreamQualificationSchema = z.lazy(() => {
  const answer = z.looseObject({
    qualification: z.string().check(z.minLength(1)),
    vettingStatus: z.optional(z.string().check(z.minLength(1))),
    vettingReason: z.optional(z.string()),
    vettingCreateDate: z.optional(z.string()),
    vettingCreatedDate: z.optional(z.string()),
  });
  return z.pipe(
    answer,
    z.transform(
      ({
        qualification,
        vettingStatus,
        vettingReason,
        vettingCreateDate,
        vettingCreatedDate,
      }: z.output<typeof answer>) => {
        const createDate = vettingCreateDate ?? vettingCreatedDate;
        return {
          qualification,
          ...(vettingStatus !== undefined && { vettingStatus }),
          ...(vettingReason !== undefined && { vettingReason }),
          ...(createDate !== undefined && { vettingCreateDate: createDate }),
        };
      },
    ),
  );
});

export const upstreamQualificationListSchema = z.lazy(() => z.array(upstreamQualificationSchema));

export const upstreamValidationCodeListSchema = z.lazy(() => {
  const answer = z.looseObject({
    partnerId: z.string(),
    organizationName: z.string(),
    validationId: z.string().check(z.minLength(1)),
    maxCreates: z.optional(z.nullable(z.number().check(z.int()))),
    remainingCreates: z.optional(z.nullable(z.number().check(z.int()))),
  });
  return z.array(
    z.pipe(
      answer,
      z.transform(
        ({
          partnerId,
          organizationName,
          validationId,
          maxCreates,
          remainingCreates,
        }: z.output<typeof answer>) => ({
          partnerId,
          organizationName,
          validationId,
          ...(maxCreates !== undefined && { maxCreates }),
          ...(remainingCreates !== undefined && { remainingCreates }),
        }),
      ),
    ),
  );
});

/** Partner Center's error body. Everything is optional: a 502 from a proxy has none of it. */
export const apiFaultSchema = z.lazy(() =>
  z.looseObject({
    code: z.optional(z.union([z.number(), z.string()])),
    description: z.optional(z.string()),
    message: z.optional(z.string()),
  }),
);
