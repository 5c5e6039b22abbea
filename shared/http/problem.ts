import type { HttpResponseInit } from '@azure/functions';

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
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly upstream?: UpstreamDetail;
  readonly headers?: Readonly<Record<string, string>>;
}

const PROBLEM_TYPE_BASE = 'https://github.com/partner-qualifications-gateway/problems/';

/** Every error response of the gateway: RFC 9457 problem details, built here and only here. */
export function problemResponse(problem: Problem, correlationId: string): HttpResponseInit {
  const slug = problem.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...problem.headers },
    body: JSON.stringify({
      type: `${PROBLEM_TYPE_BASE}${slug}`,
      title: problem.title,
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
