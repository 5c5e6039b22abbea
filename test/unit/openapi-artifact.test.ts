import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT_FILE, openApiDocumentText } from '../../dev/openapi/document-file.js';
import { createOpenApiDocument } from '../../shared/api/openapi-document.js';
import { PROBLEM_TYPES_EXTENSION } from '../../shared/api/openapi-responses.js';
import { documentedResponses } from '../../shared/api/documented-responses.js';
import { operations, type Operation, type OperationName } from '../../shared/api/operations.js';
import { PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../../shared/api/problem-types.js';

interface DocumentedResponse {
  description: string;
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { examples?: Record<string, unknown> }>;
  [PROBLEM_TYPES_EXTENSION]?: string[];
}
interface DocumentedOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { examples?: object }> };
  responses: Record<string, DocumentedResponse>;
}

const document = createOpenApiDocument() as unknown as {
  openapi: string;
  info: { version: string; license?: { name: string; identifier?: string } };
  paths: Record<string, Record<string, DocumentedOperation>>;
};

function documented(operation: Operation): DocumentedOperation {
  const found = document.paths[`/${operation.route}`]?.[operation.method.toLowerCase()];
  if (found === undefined) throw new Error(`${operation.functionName} is not documented`);
  return found;
}

const names = Object.keys(operations) as OperationName[];

describe('docs/openapi.json', () => {
  it('is what the code generates: run `npm run openapi` after changing an operation or a schema', async () => {
    const committed = await readFile(OPENAPI_DOCUMENT_FILE, 'utf8');
    // One assertion on the whole text, so a drift shows as a diff.
    expect(committed).toBe(openApiDocumentText());
  });

  it('is a valid OpenAPI 3.1 document with the license and the package version', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(document.info.version).toBe(manifest.version);
    expect(document.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    await expect(readFile('LICENSE', 'utf8')).resolves.toMatch(/^MIT License/);
  });

  it.each(names.map((name) => [operations[name].functionName, name] as const))(
    '%s: tagged, summarised, described, with the answers it can give',
    (_functionName, name) => {
      const operation: Operation = operations[name];
      const described = documented(operation);
      expect(described.tags).toEqual([operation.tag]);
      expect(described.summary).toBeTruthy();
      expect(described.description?.length).toBeGreaterThan(operation.summary.length);
      const statuses = Object.keys(described.responses).map(Number);
      expect(statuses).toContain(500);
      if (operation.request.body !== undefined) {
        expect(described.requestBody?.required).toBe(true);
        expect(
          Object.keys(described.requestBody?.content['application/json']?.examples ?? {}),
        ).not.toHaveLength(0);
        expect(statuses).toEqual(expect.arrayContaining([400, 413, 415]));
      }
      if (operation.usesStorage) expect(statuses).toContain(503);
      if (operation.access === 'anonymous') {
        expect(described.security).toEqual([]);
      } else {
        expect(described.security).toEqual([{ entraId: [] }]);
        expect(statuses).toEqual(expect.arrayContaining([401, 403]));
      }
      for (const [status, response] of Object.entries(described.responses)) {
        expect(response.headers?.['x-correlation-id']?.required, status).toBe(true);
        const types = response[PROBLEM_TYPES_EXTENSION];
        if (response.content?.['application/problem+json'] !== undefined) {
          // Each problem type comes with its example, under a status the catalogue gives it.
          expect(types?.length, status).toBeGreaterThan(0);
          const examples = response.content['application/problem+json'].examples ?? {};
          for (const uri of types ?? []) {
            const name = uri.slice(uri.indexOf('#') + 1) as ProblemType;
            expect(uri).toBe(problemTypeUri(name));
            expect(PROBLEM_TYPES[name].statuses as readonly number[]).toContain(Number(status));
            expect(examples[name], `${status} ${name}`).toBeDefined();
          }
        } else {
          expect(types, status).toBeUndefined();
          if (response.content !== undefined && operation !== operations.openApiDocument) {
            const examples = response.content['application/json']?.examples ?? {};
            expect(Object.keys(examples), status).not.toHaveLength(0);
          }
        }
      }
      if (documentedResponses[name][304] !== undefined) {
        expect(described.responses['304']?.content).toBeUndefined();
        expect(described.responses['304']?.headers?.ETag?.required).toBe(true);
      }
    },
  );

  it('names every problem type of the catalogue under some operation', () => {
    const named = new Set(
      Object.values(document.paths).flatMap((methods) =>
        Object.values(methods).flatMap((operation) =>
          Object.values(operation.responses).flatMap((r) => r[PROBLEM_TYPES_EXTENSION] ?? []),
        ),
      ),
    );
    expect([...named].sort()).toEqual(
      (Object.keys(PROBLEM_TYPES) as ProblemType[]).map(problemTypeUri).sort(),
    );
  });
});
