import * as z from 'zod';

/**
 * A setting that lists values separated by commas: each trimmed and lower-cased, blanks dropped,
 * then the list validated by `items` (which says what the list must hold).
 */
export function commaSeparated<T>(items: z.ZodType<T[], string[]>) {
  return z
    .string()
    .trim()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter((item) => item !== ''),
    )
    .pipe(items);
}
