import type { z } from 'zod';
import type { FieldError, Problem } from './problem.js';

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

/** Validates one part of a request; the problem names every bad field as `<part>.<field>`. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  input: unknown,
  part: 'path' | 'query' | 'body' | 'headers',
): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldError[] = result.error.issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]): string => [part, ...path.map(String)].join('.');
    // A strict object reports unknown properties in one issue; name each of them instead.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: at([...issue.path, key]),
        message: 'is not allowed',
      }));
    }
    return [{ path: at(issue.path), message: issue.message }];
  });
  return {
    ok: false,
    problem: {
      status: 400,
      type: 'invalid-request',
      detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    },
  };
}

/**
 * Query parameters as a plain object; a repeated parameter is an error, not a silent pick.
 * `code` is the Functions host's function key, not the operation's: it is left out.
 */
export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    if (key === 'code') continue;
    const values = query.getAll(key);
    result[key] = values.length === 1 && values[0] !== undefined ? values[0] : values;
  }
  return result;
}
