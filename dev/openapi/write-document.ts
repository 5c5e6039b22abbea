/**
 * `npm run openapi`: writes the OpenAPI document, generated from the operations and their zod
 * schemas exactly as the gateway serves it, to docs/openapi.json. Run it after changing an
 * operation or a schema; test/unit/openapi-artifact.test.ts fails until the file is current.
 */
import { writeFileSync } from 'node:fs';
import { OPENAPI_DOCUMENT_FILE, openApiDocumentText } from './document-file.js';

writeFileSync(OPENAPI_DOCUMENT_FILE, openApiDocumentText());
console.log(`Wrote ${OPENAPI_DOCUMENT_FILE}`);
