import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { createOpenApiDocument } from '../shared/api/openapi-document.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export function openApiDocumentFunction(access: CallerAccess): HttpFunctionOptions {
  // Built once per process: the operations and schemas do not change while it runs.
  const document = createOpenApiDocument();
  return httpEndpoint(operations.openApiDocument, access, () =>
    Promise.resolve(jsonResponse(200, document)),
  );
}
