import type { HttpRequest } from '@azure/functions';
import type * as z from 'zod/mini';
import type { Operation } from '../api/operation.js';
import { readJsonBody } from './json-body.js';
import type { Parsed } from './parsed.js';
import type { FieldError, Problem } from './problem.js';

export type { Parsed } from './parsed.js';

type RequestPart = 'path' | 'query' | 'headers' | 'body';

/** What a part of the request is once parsed by the schema the operation declares for it. */
type PartValue<O extends Operation, P extends RequestPart> = O['request'] extends {
  readonly [K in P]: infer S extends z.ZodMiniType;
}
  ? z.output<S>
  : undefined;

/** The request as an operation declares it: every part parsed, typed by its schema. */
export interface RequestParts<O extends Operation> {
  readonly path: PartValue<O, 'path'>;
  readonly query: PartValue<O, 'query'>;
  readonly headers: PartValue<O, 'headers'>;
  readonly body: PartValue<O, 'body'>;
}

/**
 * Parses each part of the request the operation declares with the schema it declares: the body
 * is read first (size, media type and syntax), then every part is validated, and one 400 names
 * every bad field of every part as `<part>.<field>`. A part the operation does not declare is
 * not read.
 */
export async function parseRequest<O extends Operation>(
  operation: O,
  request: HttpRequest,
): Promise<Parsed<RequestParts<O>>> {
  const declared = operation.request;
  let body: unknown;
  if (declared.body !== undefined) {
    const read = await readJsonBody(request);
    if (!read.ok) return read;
    body = read.value;
  }
  const errors: FieldError[] = [];
  const parse = (schema: z.ZodMiniType | undefined, input: () => unknown, part: RequestPart) => {
    if (schema === undefined) return undefined;
    const result = schema.safeParse(input());
    if (result.success) return result.data;
    errors.push(...fieldErrors(result.error.issues, part));
    return undefined;
  };
  const parts = {
    path: parse(declared.path, () => request.params, 'path'),
    query: parse(declared.query, () => queryObject(request.query), 'query'),
    headers: parse(declared.headers, () => headerObject(declared.headers, request), 'headers'),
    body: parse(declared.body, () => body, 'body'),
  };
  if (errors.length > 0) return { ok: false, problem: invalidRequest(errors) };
  // Each part was parsed by the schema `RequestParts<O>` names for it.
  return { ok: true, value: parts as RequestParts<O> };
}

/** Validates one value as a part of a request; the problem names every bad field. */
export function parseRequestPart<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  part: RequestPart,
): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: invalidRequest(fieldErrors(result.error.issues, part)) };
}

function fieldErrors(issues: readonly z.core.$ZodIssue[], part: RequestPart): FieldError[] {
  const at = (path: readonly PropertyKey[]): string => [part, ...path.map(String)].join('.');
  return issues.flatMap((issue) =>
    // A strict object reports unknown properties in one issue; name each of them instead.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not allowed' }))
      : [{ path: at(issue.path), message: issue.message }],
  );
}

function invalidRequest(errors: readonly FieldError[]): Problem {
  return {
    status: 400,
    type: 'invalid-request',
    detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
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

/** The headers the schema names (in lower case), each as sent or absent. */
function headerObject(
  schema: z.ZodMiniObject | undefined,
  request: HttpRequest,
): Record<string, string | undefined> {
  const names = Object.keys(schema?.shape ?? {});
  return Object.fromEntries(names.map((name) => [name, request.headers.get(name) ?? undefined]));
}
