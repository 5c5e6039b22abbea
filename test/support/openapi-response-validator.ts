import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PROBLEM_TYPES_EXTENSION } from '../../shared/api/openapi-responses.js';

/** A response as it came over the wire, with the request it answered. */
export interface ObservedResponse {
  readonly method: string;
  /** The request's path, with the host's prefix (`/api/v1/...`) and without the query. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface ResponseCheck {
  /** The operationId the request matched; undefined for a route the document does not have. */
  readonly operationId: string | undefined;
  /** What in the response the document does not allow; empty when it conforms. */
  readonly deviations: readonly string[];
}

interface SchemaHolder {
  schema?: object;
}
interface HeaderDoc extends SchemaHolder {
  required?: boolean;
}
interface ResponseDoc {
  headers?: Record<string, HeaderDoc>;
  content?: Record<string, SchemaHolder>;
  [PROBLEM_TYPES_EXTENSION]?: string[];
}
interface OperationDoc {
  operationId: string;
  responses: Record<string, ResponseDoc>;
}
export interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, OperationDoc>>;
  components?: object;
}

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * Checks responses against an OpenAPI 3.1 document: the status is documented for the operation
 * the request matched, the media type and body match what it declares (problem details: its
 * `status` and a `type` the document names for that status), every required header is there and
 * every documented header that is there has a value its schema allows.
 */
export function createResponseValidator(
  document: OpenApiDocument,
): (response: ObservedResponse) => ResponseCheck {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const compiled = new Map<object, ValidateFunction>();
  // Component references (#/components/...) resolve against each schema's root: give it them.
  const compile = (schema: object): ValidateFunction => {
    let validate = compiled.get(schema);
    if (validate === undefined) {
      validate = ajv.compile({ ...schema, components: document.components });
      compiled.set(schema, validate);
    }
    return validate;
  };
  const basePath = document.servers?.[0]?.url ?? '';
  const routes = Object.entries(document.paths).map(([template, methods]) => ({
    pattern: new RegExp(
      `^${escape(basePath)}${template
        .split(/\{[^}]+\}/)
        .map(escape)
        .join('[^/]+')}$`,
      'i',
    ),
    methods,
  }));

  return (response) => {
    const route = routes.find((r) => r.pattern.test(response.path));
    const operation = route?.methods[response.method.toLowerCase()];
    if (operation === undefined) return { operationId: undefined, deviations: [] };
    const deviations: string[] = [];
    const where = `${response.method} ${response.path} → ${String(response.status)}`;
    const fail = (what: string) => deviations.push(`${where}: ${what}`);
    const documented = operation.responses[String(response.status)];
    if (documented === undefined) {
      fail(`status not documented for ${operation.operationId}`);
      return { operationId: operation.operationId, deviations };
    }

    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required === true) fail(`required header ${name} missing`);
      } else if (header.schema && !compile(header.schema)(value)) {
        fail(`header ${name}: ${JSON.stringify(value)} does not match its schema`);
      }
    }

    const content = documented.content;
    if (content === undefined) {
      if (response.body !== '') fail('a body where the document declares none');
      return { operationId: operation.operationId, deviations };
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const declared = content[mediaType.toLowerCase()];
    if (declared === undefined) {
      fail(`media type "${mediaType}" not documented (${Object.keys(content).join(', ')})`);
      return { operationId: operation.operationId, deviations };
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      fail('the body is not JSON');
      return { operationId: operation.operationId, deviations };
    }
    if (declared.schema) {
      const validate = compile(declared.schema);
      if (!validate(body)) fail(`body: ${ajv.errorsText(validate.errors)}`);
    }
    const problemTypes = documented[PROBLEM_TYPES_EXTENSION];
    if (problemTypes !== undefined && isRecord(body)) {
      if (body.status !== response.status) fail(`problem status ${String(body.status)}`);
      if (typeof body.type !== 'string' || !problemTypes.includes(body.type)) {
        fail(`problem type ${String(body.type)} not documented for this status`);
      }
    }
    return { operationId: operation.operationId, deviations };
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
