import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_PATH, generateTypes, TYPES_PATH } from '../../clients/typescript/generate.js';
import { useTestGateway } from '../support/test-gateway.js';

/**
 * The clients are generated from docs/openapi.json: that file must be the document the gateway
 * serves, and the committed TypeScript types what openapi-typescript makes of it. (CI's
 * `clients-generated` check regenerates both clients, the .NET one with Kiota, and wants no diff.)
 */
const env = useTestGateway();

describe('the generated clients', () => {
  it('are generated from the document the gateway serves', async () => {
    const response = await fetch(`${env.api}/openapi.json`);
    expect(response.status).toBe(200);
    const committed: unknown = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));
    // `npm run openapi` rewrites docs/openapi.json after a change of the API.
    expect(await response.json()).toEqual(committed);
  });

  it('include TypeScript types that are what openapi-typescript makes of that document', async () => {
    // `npm run clients:typescript` regenerates them.
    expect(readFileSync(TYPES_PATH, 'utf8')).toBe(await generateTypes());
  });
});
