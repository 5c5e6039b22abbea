import type { HttpResponseInit } from '@azure/functions';
import { PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../api/problem-types.js';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface UpstreamDetail {
  readonly status: number;
  readonly code?: string | number;
  readonly description?: string;
}

export interface Problem {
  /** What kind of problem: its title and its page in docs/problems.md come with it. */
  readonly type: ProblemType;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly upstream?: UpstreamDetail;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Every error response of the gateway: RFC 9457 problem details, built here and only here. */
export function problemResponse(problem: Problem, correlationId: string): HttpResponseInit {
  return {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...problem.headers },
    body: JSON.stringify({
      type: problemTypeUri(problem.type),
      title: PROBLEM_TYPES[problem.type].title,
      status: problem.status,
      detail: problem.detail,
      correlationId,
      ...(problem.errors && { errors: problem.errors }),
      ...(problem.upstream && { upstream: problem.upstream }),
    }),
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
