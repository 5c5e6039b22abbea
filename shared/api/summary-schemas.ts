import { z } from 'zod';

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
