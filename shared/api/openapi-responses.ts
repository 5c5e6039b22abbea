import type { oas31, ZodOpenApiResponseObject } from 'zod-openapi';
import type { OperationResponse, Presence, ResponseHeader } from './operation-responses.js';
import {
  PROBLEM_TYPES,
  PROBLEM_TYPES_PAGE,
  problemTypeUri,
  type ProblemType,
} from './problem-types.js';
import { problemDetailsSchema } from './response-body-schemas.js';
import { EXAMPLE_CORRELATION_ID } from './response-examples.js';

/** The document's extension on an error response: the problem types it may carry. */
export const PROBLEM_TYPES_EXTENSION = 'x-problem-types';

type HeaderName = ResponseHeader | 'x-correlation-id';

const HEADERS: Readonly<Record<HeaderName, { description: string; schema: oas31.SchemaObject }>> = {
  'x-correlation-id': {
    description:
      "The request's correlation id: the caller's x-correlation-id when it is a GUID, a new one otherwise. Every log line of the request carries it.",
    schema: { type: 'string', format: 'uuid' },
  },
  ETag: {
    description:
      'Weak validator of the qualifications (not of the bytes): send it back in If-None-Match.',
    schema: { type: 'string', pattern: '^W/"[A-Za-z0-9_-]+"$' },
  },
  Location: {
    description: "Where the customer's qualifications are read.",
    schema: { type: 'string', format: 'uri-reference' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with this key.',
    schema: { type: 'string', enum: ['true'] },
  },
  'Gateway-Recorded': {
    description:
      '`false` when Partner Center accepted but the gateway could not record it yet; the next read or timer run does.',
    schema: { type: 'string', enum: ['false'] },
  },
  'WWW-Authenticate': {
    description: 'The bearer challenge: `Bearer`, or `Bearer error="…"` saying what is wrong.',
    schema: { type: 'string', pattern: '^Bearer' },
  },
  'Cache-Control': {
    description: '`no-store`: every probe sees the current state.',
    schema: { type: 'string' },
  },
};

/** What Partner Center said, in the examples of the problems that carry its answer. */
const UPSTREAM_EXAMPLES: Partial<Record<ProblemType, object>> = {
  'rejected-by-partner-center': { status: 400, code: 3000, description: 'Invalid property' },
  'no-customer-relationship': {
    status: 403,
    code: 20002,
    description:
      'The partner ID 1234567 has no commerce relationship with the customer ID 6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a.',
  },
  'mfa-required': {
    status: 401,
    code: 900421,
    description: 'Multi-factor authentication required.',
  },
  'refused-by-partner-center': {
    status: 403,
    description: 'The supplied role does not have the rights to perform the requested operation.',
  },
  'customer-not-found': { status: 404, code: 60003, description: 'Tenant not found' },
  'conflict-in-partner-center': {
    status: 409,
    description: 'A qualification of this kind is already in review for this customer.',
  },
  'upstream-error': { status: 503, description: 'Service unavailable' },
};

/** One status of an operation as the OpenAPI document describes it. */
export function responseObject(
  status: number,
  response: OperationResponse,
): ZodOpenApiResponseObject {
  const problems = response.problems ?? [];
  const isProblem = status >= 400 && response.schema === undefined;
  const description =
    problems.length === 0
      ? response.description
      : `${response.description}\n\nProblem types (${PROBLEM_TYPES_PAGE}): ${problems.map((p) => `\`${p}\``).join(', ')}.`;
  const schema = isProblem ? problemDetailsSchema : response.schema;
  const examples = isProblem
    ? Object.fromEntries(problems.map((type) => [type, problemExample(type, status)]))
    : response.examples;
  return {
    description,
    headers: headersObject({ 'x-correlation-id': 'always', ...response.headers }),
    ...(schema && {
      content: {
        [isProblem ? 'application/problem+json' : 'application/json']: {
          schema,
          ...(examples && Object.keys(examples).length > 0 && { examples }),
        },
      },
    }),
    ...(isProblem && { [PROBLEM_TYPES_EXTENSION]: problems.map(problemTypeUri) }),
  };
}

function headersObject(
  headers: Readonly<Partial<Record<HeaderName, Presence>>>,
): oas31.HeadersObject {
  return Object.fromEntries(
    Object.entries(headers).map(([name, presence]) => {
      const { description, schema } = HEADERS[name as HeaderName];
      return [
        name,
        {
          description: presence === 'always' ? description : `Sometimes. ${description}`,
          required: presence === 'always',
          schema,
        },
      ];
    }),
  );
}

function problemExample(type: ProblemType, status: number) {
  const { title, example } = PROBLEM_TYPES[type];
  const upstream = UPSTREAM_EXAMPLES[type];
  return {
    summary: title,
    value: {
      type: problemTypeUri(type),
      title,
      status,
      detail: example,
      correlationId: EXAMPLE_CORRELATION_ID,
      ...(type === 'invalid-request' && {
        errors: [{ path: 'path.customerId', message: 'must be a GUID (the customer tenant id)' }],
      }),
      ...(upstream && { upstream }),
    },
  };
}
