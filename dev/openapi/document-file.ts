import { createOpenApiDocument } from '../../shared/api/openapi-document.js';

/** Where the OpenAPI document is committed, for client generators and reviewers. */
export const OPENAPI_DOCUMENT_FILE = 'docs/openapi.json';

/** The file's exact text: what `npm run openapi` writes and the drift test compares. */
export function openApiDocumentText(): string {
  return `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`;
}
