import fc from 'fast-check';

/** The part of JSON Schema the gateway's OpenAPI document uses for requests. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/**
 * Values a schema accepts, generated from the schema itself (references resolved in
 * `components`): what a well-behaved client generated from the document may send.
 */
export function validValues(
  schema: JsonSchema,
  components: { schemas?: Record<string, JsonSchema> },
): fc.Arbitrary<unknown> {
  const of = (s: JsonSchema): fc.Arbitrary<unknown> => validValues(s, components);
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components.schemas?.[name];
    if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
    return of(target);
  }
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices !== undefined) return fc.oneof(...choices.map(of));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, of(value)]),
      );
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    case 'string':
      return strings(schema);
    default:
      throw new Error(`no generator for ${JSON.stringify(schema)}`);
  }
}

function strings(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'uri') return fc.webUrl({ validSchemes: ['https', 'http'] });
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, 300);
  if (schema.pattern !== undefined) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ minLength, maxLength });
}

/**
 * Values a schema's holder may refuse: a valid value with one thing broken (a required
 * property dropped, an unknown one added, a property of the wrong type), or any JSON at all.
 */
export function nearlyValidValues(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const broken = fc.tuple(valid, fc.nat(), fc.jsonValue()).map(([value, pick, junk]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk;
    const entries = Object.entries(value);
    const [key] = entries[pick % Math.max(entries.length, 1)] ?? ['extra'];
    switch (pick % 3) {
      case 0:
        return Object.fromEntries(entries.filter(([k]) => k !== key));
      case 1:
        return { ...value, [`unknown${String(pick % 7)}`]: junk };
      default:
        return { ...value, [key]: junk };
    }
  });
  return fc.oneof(broken, fc.jsonValue());
}
