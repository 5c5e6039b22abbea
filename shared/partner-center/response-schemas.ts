import * as z from 'zod';

/**
 * Partner Center's answers, validated before anything is believed. Tolerant where Partner
 * Center's own documentation is inconsistent: the `vettingCreatedDate` spelling, statuses beyond
 * the three documented ones, numeric or string error codes, extra fields.
 *
 * Each is made on its first parse (`z.lazy`), not while an instance starts: a cold start builds
 * none of them, and the first call to Partner Center costs far more than making them.
 */
export const upstreamQualificationSchema = z.lazy(() =>
  z
    .looseObject({
      qualification: z.string().min(1),
      vettingStatus: z.string().min(1).optional(),
      vettingReason: z.string().optional(),
      vettingCreateDate: z.string().optional(),
      vettingCreatedDate: z.string().optional(),
    })
    .transform(
      ({ qualification, vettingStatus, vettingReason, vettingCreateDate, vettingCreatedDate }) => {
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

export const upstreamQualificationListSchema = z.lazy(() => z.array(upstreamQualificationSchema));

export const upstreamValidationCodeListSchema = z.lazy(() =>
  z.array(
    z
      .looseObject({
        partnerId: z.string(),
        organizationName: z.string(),
        validationId: z.string().min(1),
        maxCreates: z.number().int().nullable().optional(),
        remainingCreates: z.number().int().nullable().optional(),
      })
      .transform(({ partnerId, organizationName, validationId, maxCreates, remainingCreates }) => ({
        partnerId,
        organizationName,
        validationId,
        ...(maxCreates !== undefined && { maxCreates }),
        ...(remainingCreates !== undefined && { remainingCreates }),
      })),
  ),
);

/** Partner Center's error body. Everything is optional: a 502 from a proxy has none of it. */
export const apiFaultSchema = z.lazy(() =>
  z.looseObject({
    code: z.union([z.number(), z.string()]).optional(),
    description: z.string().optional(),
    message: z.string().optional(),
  }),
);
