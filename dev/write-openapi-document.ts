/**
 * `npm run openapi`: writes the OpenAPI document the gateway serves at /api/v1/openapi.json to
 * docs/openapi.json, the input of the client generators (`npm run clients`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenApiDocument } from '../shared/api/openapi-document.js';

const path = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'openapi.json');
writeFileSync(path, `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
console.log(`Wrote ${path}`);
