import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { operations, type Operation } from './operations.js';
import { correlationIdHeaderSchema, problemDetailsSchema } from './schemas.js';

const requestHeadersSchema = z.object({ 'x-correlation-id': correlationIdHeaderSchema });

const HEADER_DESCRIPTIONS: Readonly<Record<string, string>> = {
  ETag: 'Weak validator of the qualifications; send it back in If-None-Match.',
  'Retry-After': 'Seconds to wait before trying again.',
  Location: 'Where the created resource can be read.',
  'Idempotent-Replayed': '`true` when this is the stored answer to an earlier request.',
  'Gateway-Recorded':
    '`false` when Partner Center accepted but the gateway could not record it yet; the next read or timer run does.',
};

const COMMON_ERRORS: Readonly<Record<number, string>> = {
  400: 'The request is invalid; `errors` names each bad field.',
  500: 'An unexpected error; the correlation id finds it in the logs.',
};

const STORAGE_UNAVAILABLE = "The gateway's storage cannot be reached; retry after Retry-After.";

const AUTH_ERRORS: Readonly<Record<number, string>> = {
  401: 'Missing or invalid bearer token.',
  403: 'The token lacks the app role this operation needs.',
};

/** The OpenAPI 3.1 description of every operation, built from the schemas handlers validate with. */
export function createOpenApiDocument(): ReturnType<typeof createDocument> {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const operation of Object.values(operations) as Operation[]) {
    const path = `/${operation.route}`;
    paths[path] = { ...paths[path], [operation.method.toLowerCase()]: describe(operation) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Partner Qualifications Gateway',
      version: packageVersion(),
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'A REST interface over Partner Center customer qualifications: cached reads, validated submissions, and the vetting status kept current by a timer.',
    },
    servers: [{ url: '/api/v1' }],
    tags: [
      {
        name: 'Qualifications',
        description: "Customers' qualifications and vetting, from the gateway's records.",
      },
      { name: 'Submissions', description: 'Submitting a customer to Partner Center for vetting.' },
      { name: 'Partner', description: "The partner's own data in Partner Center." },
      { name: 'Service', description: 'Health and this document.' },
    ],
    components: {
      securitySchemes: {
        entraId: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An Entra ID access token for the gateway app registration, with app roles.',
        },
      },
    },
    paths,
  });
}

function describe(operation: Operation): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const errorStatuses = {
    ...COMMON_ERRORS,
    ...(operation.access === 'anonymous' ? {} : AUTH_ERRORS),
  };
  for (const [status, description] of Object.entries(errorStatuses)) {
    responses[status] = response(description, problemDetailsSchema, [], 'application/problem+json');
  }
  if (operation.usesStorage && operation.responses[503] === undefined) {
    responses[503] = response(
      STORAGE_UNAVAILABLE,
      problemDetailsSchema,
      ['Retry-After'],
      'application/problem+json',
    );
  }
  for (const [status, spec] of Object.entries(operation.responses)) {
    const isError = Number(status) >= 400;
    responses[status] = response(
      status === '503' && operation.usesStorage && operation.access !== 'anonymous'
        ? `${spec.description} Or: ${STORAGE_UNAVAILABLE}`
        : spec.description,
      spec.schema ?? (isError ? problemDetailsSchema : undefined),
      spec.headers ?? [],
      isError && spec.schema === undefined ? 'application/problem+json' : 'application/json',
    );
  }
  return {
    operationId: operation.functionName,
    summary: operation.summary,
    tags: [operation.tag],
    ...(operation.access === 'anonymous'
      ? { security: [] }
      : { security: [{ entraId: [] }], 'x-app-role': operation.access }),
    requestParams: {
      ...(operation.request.path && { path: operation.request.path }),
      ...(operation.request.query && { query: operation.request.query }),
      header: operation.request.headers
        ? requestHeadersSchema.extend(operation.request.headers.shape)
        : requestHeadersSchema,
    },
    ...(operation.request.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: operation.request.body } },
      },
    }),
    responses,
  };
}

function response(
  description: string,
  schema: z.ZodType | undefined,
  headers: readonly string[],
  mediaType: string,
): ZodOpenApiResponseObject {
  return {
    description,
    headers: Object.fromEntries(
      ['x-correlation-id', ...headers].map((name) => [
        name,
        {
          description: HEADER_DESCRIPTIONS[name] ?? 'The correlation id of this request.',
          schema: { type: 'string' },
        },
      ]),
    ),
    ...(schema && { content: { [mediaType]: { schema } } }),
  };
}

/**
 * The version in the gateway's package.json, which a release bumps: the nearest one above this
 * module, whether it runs from the sources, from dist/ or from the deployment package.
 */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(candidate, 'utf8')))
        .version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the OpenAPI module');
    dir = parent;
  }
}
