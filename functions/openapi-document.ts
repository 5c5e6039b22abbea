import type { HttpFunctionOptions } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';

export function openApiDocumentFunction(access: CallerAccess): HttpFunctionOptions {
  // Built on first request, not at start-up (a cold start should not pay for it, nor load
  // zod-openapi), then kept: the operations and schemas do not change while the process runs.
  let document: Promise<object> | undefined;
  return httpEndpoint(operations.openApiDocument, access, async () => {
    document ??= import('../shared/api/openapi-document.js').then((module) =>
      module.createOpenApiDocument(),
    );
    return jsonResponse(200, await document);
  });
}
