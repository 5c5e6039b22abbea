/**
 * `npm run clients:typescript`: writes gateway-api.ts, the TypeScript types of docs/openapi.json,
 * with openapi-typescript's defaults (its API rather than its CLI, so that a redocly.yaml at the
 * root, written for linting, cannot redirect the generation). Re-runnable; the test
 * test/clients/generated-clients.test.ts fails when the committed file differs from this output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const DOCUMENT_PATH = join(root, 'docs', 'openapi.json');
export const TYPES_PATH = join(root, 'clients', 'typescript', 'gateway-api.ts');

/** The text of gateway-api.ts for the document at `documentPath`. */
export async function generateTypes(documentPath: string = DOCUMENT_PATH): Promise<string> {
  const document = JSON.parse(readFileSync(documentPath, 'utf8')) as Parameters<
    typeof openapiTS
  >[0];
  return `${COMMENT_HEADER}${astToString(await openapiTS(document, { silent: true }))}`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TYPES_PATH, await generateTypes());
  console.log(`Wrote ${TYPES_PATH}`);
}
