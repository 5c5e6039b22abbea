import * as z from 'zod/mini';
import './zod-english.js';

/**
 * A setting that lists values separated by commas: each trimmed and lower-cased, blanks dropped,
 * then the list validated by `items` (which says what the list must hold).
 */
export function commaSeparated<T>(items: z.ZodMiniType<T[], string[]>) {
  return z.pipe(
    z.pipe(
      z.string().check(z.trim()),
      z.transform((value: string) =>
        value
          .split(',')
          .map((item) => item.trim().toLowerCase())
          .filter((item) => item !== ''),
      ),
    ),
    items,
  );
}
