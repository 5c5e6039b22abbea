import * as z from 'zod/mini';
import '../zod-english.js';

/**
 * What @azure/data-tables puts in a continuation token: base64 of the next keys as JSON. Made on
 * its first parse (z.lazy), not while an instance starts.
 */
const tokenSchema = z.lazy(() =>
  z.strictObject({
    nextPartitionKey: z.string().check(z.minLength(1)),
    nextRowKey: z.optional(z.string().check(z.minLength(1))),
  }),
);

/**
 * Whether `token` has the shape of one this view returned: the opaque keys Table Storage resumes
 * from, as strings. Anything else would reach the SDK or Table Storage as a malformed query. (A
 * well-formed token cannot page into other data: the status filter is applied to every page.)
 */
export function isContinuationToken(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return false;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return false;
  }
  const keys = tokenSchema.safeParse(decoded);
  return keys.success;
}
