import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The schemas the project publishes under docs/events/, as subscribers would load them: the
 * data schema (named by the events' `dataschema`, its `$id`) and the AsyncAPI document's event
 * envelopes, whose `data` refers to that file.
 */
const DOCS = new URL('../../docs/events/', import.meta.url);
export const DATA_SCHEMA_FILE = 'qualification-vetting-event.v1.schema.json';

export function readEventDoc(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, DOCS), 'utf8')) as Record<string, unknown>;
}

export interface EventSchemas {
  /** What is wrong with an Event Grid event (empty when it matches the published schemas). */
  subscriberEventProblems(event: unknown): string[];
  /** The same for a queue message. */
  queueMessageProblems(event: unknown): string[];
}

export function loadEventSchemas(): EventSchemas {
  const dataSchema = readEventDoc(DATA_SCHEMA_FILE);
  const asyncapi = readEventDoc('asyncapi.json') as {
    components: { schemas: Record<string, unknown> };
  };
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  ajv.addSchema(dataSchema);
  // The AsyncAPI document refers to the data schema by its file; the validator knows it by `$id`.
  const byId = (schema: unknown): object =>
    JSON.parse(
      JSON.stringify(schema).replaceAll(`"./${DATA_SCHEMA_FILE}"`, JSON.stringify(dataSchema.$id)),
    ) as object;
  const envelope = ajv.compile(byId(asyncapi.components.schemas.QualificationVettingEvent));
  const queue = ajv.compile(byId(asyncapi.components.schemas.QueueMessage));
  const dataProperties = Object.keys(dataSchema.properties as object);
  const problems = (validate: ValidateFunction, event: unknown): string[] => {
    const found = validate(event)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    // The published schema lets subscribers accept fields added later; the gateway adds none
    // without describing it first.
    const data = (event as { data?: object } | null)?.data ?? {};
    for (const key of Object.keys(data)) {
      if (!dataProperties.includes(key)) found.push(`/data/${key} is not in the schema`);
    }
    return found;
  };
  return {
    subscriberEventProblems: (event) => problems(envelope, event),
    queueMessageProblems: (event) => problems(queue, event),
  };
}
