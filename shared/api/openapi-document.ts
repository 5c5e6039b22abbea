import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { API_BASE_PATH } from '../domain/api-paths.js';
import { documentedResponses } from './documented-responses.js';
import { responseObject } from './openapi-responses.js';
import { responsesOf, type OperationResponses } from './operation-responses.js';
import { operations, type Operation, type OperationName } from './operations.js';

/**
 * The request header every operation takes, as the document describes it. The edge
 * (`shared/http/http-endpoint.ts`) keeps a GUID and replaces anything else, so no request fails on
 * it and no request parses it with this schema.
 */
const requestHeadersSchema = z.object({
  'x-correlation-id': z.guid().optional().meta({
    description: 'Kept when a GUID is sent, generated otherwise; returned on every response.',
  }),
});

const ENTRA_ID_DESCRIPTION = [
  "An Entra ID access token for the gateway's own app registration, sent as `Authorization: Bearer <token>`.",
  'An application gets one with the OAuth 2.0 client credentials grant from its tenant (`https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`, scope `<gateway application ID URI>/.default`), once the gateway owner has assigned it the app roles it needs:',
  '`Qualifications.Read` for the reads, `Qualifications.Write` for submissions (each operation names its role in its description and in `x-app-role`).',
  "With `@azure/identity` or .NET's `Azure.Identity`, any credential's `getToken('<application ID URI>/.default')` does it. A user's token (authorization code flow) works too when the user holds the role; On-Behalf-Of submissions need one signed in with multi-factor authentication.",
  'No token or an invalid one: 401 with `WWW-Authenticate: Bearer`; no role: 403. Local runs against the Partner Center simulator have inbound authentication off and need no token.',
].join(' ');

/** The OpenAPI 3.1 description of every operation, built from the schemas handlers validate with. */
export function createOpenApiDocument(): ReturnType<typeof createDocument> {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const name of Object.keys(operations) as OperationName[]) {
    const operation: Operation = operations[name];
    const path = `/${operation.route}`;
    paths[path] = {
      ...paths[path],
      [operation.method.toLowerCase()]: describe(operation, documentedResponses[name]),
    };
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
    servers: [{ url: API_BASE_PATH }],
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
          description: ENTRA_ID_DESCRIPTION,
        },
      },
    },
    paths,
  });
}

function describe(operation: Operation, own: OperationResponses): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, response] of Object.entries(responsesOf(operation, own))) {
    responses[status] = responseObject(Number(status), response);
  }
  const { request } = operation;
  return {
    operationId: operation.functionName,
    summary: operation.summary,
    description:
      operation.access === 'anonymous'
        ? `${operation.description} Anonymous.`
        : `${operation.description} Needs the app role ${operation.access}.`,
    tags: [operation.tag],
    ...(operation.access === 'anonymous'
      ? { security: [] }
      : { security: [{ entraId: [] }], 'x-app-role': operation.access }),
    requestParams: {
      ...(request.path && { path: request.path }),
      ...(request.query && { query: request.query }),
      header: request.headers
        ? requestHeadersSchema.extend(request.headers.shape)
        : requestHeadersSchema,
    },
    ...(request.body && {
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: request.body,
            ...(request.bodyExamples && { examples: request.bodyExamples }),
          },
        },
      },
    }),
    responses,
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
