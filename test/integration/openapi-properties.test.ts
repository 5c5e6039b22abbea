import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { createOpenApiDocument } from '../../shared/api/openapi-document.js';
import { problemTypeUri, type ProblemType } from '../../shared/api/problem-types.js';
import { nearlyValidValues, validValues, type JsonSchema } from '../support/schema-arbitrary.js';
import { useTestGateway } from '../support/test-gateway.js';

const env = useTestGateway();

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface DocumentedOperation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
const document = createOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { schemas?: Record<string, JsonSchema> };
};

/** The only 5xx answers the gateway may give: Partner Center's, or its token's, failures. */
const UPSTREAM_FAILURES = new Set(
  (
    [
      'upstream-error',
      'invalid-upstream-response',
      'upstream-authorization-failed',
      'credential-unavailable',
      'upstream-throttled',
      'upstream-circuit-open',
      'gateway-busy',
      'upstream-timeout',
    ] as ProblemType[]
  ).map(problemTypeUri),
);

interface GeneratedRequest {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly query: [string, string][];
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7E]{0,${max}}$`));
const knownCustomers = fc.constantFrom(...Object.values(SEEDED_CUSTOMERS));
const customerIds = fc.oneof(
  knownCustomers,
  knownCustomers.map((id) => id.toUpperCase()),
  fc.uuid(),
  // Not a GUID: one path segment of anything else.
  fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => !/[/\\?#]/.test(s) && s !== '.' && s !== '..'),
);

function parameterValue(parameter: Parameter): fc.Arbitrary<string> {
  const valid = validValues(parameter.schema, document.components).map(String);
  return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: printable(30), weight: 1 });
}

/** A request for one operation, from its parameters and body schema, valid or not. */
function requests(route: string, method: string, operation: DocumentedOperation) {
  const parameters = operation.parameters ?? [];
  const optional = (p: Parameter) =>
    p.required === true
      ? fc.oneof(
          { arbitrary: parameterValue(p), weight: 9 },
          { arbitrary: fc.constant(undefined), weight: 1 },
        )
      : fc.option(parameterValue(p));
  const query = fc.tuple(
    ...parameters
      .filter((p) => p.in === 'query')
      .map((p) => optional(p).map((v) => [p.name, v] as const)),
    // Now and then a parameter the operation does not have.
    fc.oneof(
      { arbitrary: fc.constant(null), weight: 8 },
      { arbitrary: fc.tuple(fc.constantFrom('unknown', 'code2'), printable(10)), weight: 1 },
    ),
  );
  const headers = fc.tuple(
    ...parameters
      .filter((p) => p.in === 'header')
      .map((p) =>
        fc
          .option(
            p.name === 'x-correlation-id' ? fc.oneof(fc.uuid(), printable(40)) : parameterValue(p),
          )
          .map((v) => [p.name, v] as const),
      ),
  );
  const schema = operation.requestBody?.content['application/json']?.schema;
  const valid = schema && validValues(schema, document.components);
  const body = valid
    ? fc.oneof(
        {
          arbitrary: valid.map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
          weight: 3,
        },
        {
          arbitrary: nearlyValidValues(valid).map((v) => ({
            type: 'application/json',
            text: JSON.stringify(v),
          })),
          weight: 3,
        },
        { arbitrary: printable(50).map((text) => ({ type: 'text/plain', text })), weight: 1 },
      )
    : fc.constant(undefined);
  return fc
    .record({ customerId: customerIds, query, headers, body })
    .map(({ customerId, query: pairs, headers: headerPairs, body: sent }): GeneratedRequest => ({
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path: route.replace('{customerId}', encodeURIComponent(customerId)),
      query: pairs.filter(
        (p): p is [string, string] => p !== null && p[1] !== undefined && p[1] !== null,
      ),
      headers: {
        ...Object.fromEntries(headerPairs.filter(([, v]) => v !== null)),
        ...(sent && { 'content-type': sent.type }),
      },
      ...(sent && { body: sent.text }),
    }));
}

const anyRequest = fc.oneof(
  ...Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => requests(route, method, operation)),
  ),
);

describe('requests generated from the OpenAPI document, valid and invalid, over real HTTP', () => {
  it('get documented answers only, and no 5xx but the upstream ones', async () => {
    await fc.assert(
      fc.asyncProperty(anyRequest, async (request) => {
        const url = new URL(`${env.api}${request.path}`);
        for (const [name, value] of request.query) url.searchParams.append(name, value);
        const response = await fetch(url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined && { body: request.body }),
        });
        const text = await response.text();
        expect(env.conformance.takeDeviations()).toEqual([]);
        expect(env.conformance.checked.at(-1)?.operationId).toBe(request.operationId);
        if (response.status >= 500) {
          const type = (JSON.parse(text) as { type?: string }).type ?? '';
          expect(UPSTREAM_FAILURES.has(type), `${String(response.status)} ${type}`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    // The run reached every operation, with answers from both sides of validation.
    const seen = new Set(env.conformance.checked.map((c) => c.operationId));
    expect(seen.size).toBe(Object.values(document.paths).flatMap(Object.keys).length);
    const statuses = new Set(env.conformance.checked.map((c) => c.status));
    expect(statuses).toContain(200);
    expect(statuses).toContain(400);
  });
});
