import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { createOpenApiDocument } from '../shared/api/openapi-document.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export function openApiDocumentFunction(access: CallerAccess): HttpFunctionOptions {
  // Built on first request, not at start-up (a cold start should not pay for it), then kept:
  // the operations and schemas do not change while the process runs.
  let document: ReturnType<typeof createOpenApiDocument> | undefined;
  return httpEndpoint(operations.openApiDocument, access, () => {
    document ??= createOpenApiDocument();
    return Promise.resolve(jsonResponse(200, document));
  });
}
