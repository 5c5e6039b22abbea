import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { qualificationEvent } from '../../shared/domain/qualification-event.js';
import {
  SUBSCRIBER_EVENT_DATA_SCHEMA,
  SUBSCRIBER_EVENT_TYPES,
  subscriberEvent,
} from '../../shared/events/subscriber-event.js';
import { DATA_SCHEMA_FILE, loadEventSchemas, readEventDoc } from '../support/event-schemas.js';

const schemas = loadEventSchemas();

/** The event as it travels: JSON, with `time` in RFC 3339 as @azure/eventgrid writes it. */
function onTheWire(event: unknown): unknown {
  return JSON.parse(JSON.stringify(event));
}

/** What @azure/eventgrid sends for a subscriber event (it adds `specversion`). */
function sent(event: object): unknown {
  return onTheWire({ specversion: '1.0', ...event });
}

describe('the published event documents (docs/events/)', () => {
  it('asyncapi.json is a valid AsyncAPI 3.0 document', () => {
    const specs = createRequire(import.meta.url)('@asyncapi/specs') as {
      schemasWithoutId: Record<string, object>;
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(specs.schemasWithoutId['3.0.0'] ?? {});
    const valid = validate(readEventDoc('asyncapi.json'));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('describes exactly the types the gateway sends, and names the data schema the events name', () => {
    const asyncapi = readEventDoc('asyncapi.json') as {
      components: { messages: Record<string, { name: string }> };
      channels: { qualificationVetting: { messages: Record<string, unknown> } };
    };
    const described = Object.keys(asyncapi.channels.qualificationVetting.messages).map(
      (key) => asyncapi.components.messages[key]?.name,
    );
    expect(described.sort()).toEqual(Object.values(SUBSCRIBER_EVENT_TYPES).sort());
    expect(readEventDoc(DATA_SCHEMA_FILE).$id).toBe(SUBSCRIBER_EVENT_DATA_SCHEMA);
    expect(readFileSync('docs/events.md', 'utf8')).toContain(SUBSCRIBER_EVENT_DATA_SCHEMA);
  });

  it('every event the gateway can make validates against the published schemas', () => {
    const status = fc.oneof(
      fc.constantFrom('InReview', 'Approved', 'Denied'),
      fc.string({ minLength: 1, maxLength: 100 }),
    );
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.constantFrom('Education', 'GovernmentCommunityCloud', 'StateOwnedEntity', 'Nonprofit'),
        fc.option(status, { nil: null }),
        status,
        fc.option(fc.string({ maxLength: 1000 }), { nil: undefined }),
        fc.constantFrom('submit', 'refresh', 'read', undefined),
        fc.uuid(),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (customerId, qualification, from, to, reason, trigger, id, at) => {
          const event = qualificationEvent(
            customerId,
            { qualification, from, to, ...(reason !== undefined && { vettingReason: reason }) },
            id,
            at,
            id,
            trigger,
          );
          expect(schemas.subscriberEventProblems(sent(subscriberEvent(event)))).toEqual([]);
          if (trigger !== undefined)
            expect(schemas.queueMessageProblems(onTheWire(event))).toEqual([]);
        },
      ),
    );
  });

  it('the schemas are strict enough to catch a wrong event', () => {
    const good = subscriberEvent(
      qualificationEvent(
        '0f0e0d0c-0b0a-4908-8706-050403020100',
        { qualification: 'Education', from: 'InReview', to: 'Approved' },
        '3b241101-e2bb-4255-8caf-4136c566a962',
        new Date(),
        'c0ffee00-0000-4000-8000-000000000000',
        'refresh',
      ),
    );
    expect(schemas.subscriberEventProblems(sent(good))).toEqual([]);
    const wrong = [
      { ...good, type: 'com.example.other' },
      { ...good, subject: '0f0e0d0c-0b0a-4908-8706-050403020100' },
      { ...good, dataschema: 'https://example.invalid/schema.json' },
      { ...good, data: { ...good.data, trigger: 'timer' } },
      { ...good, data: { ...good.data, extra: 1 } },
      { ...good, data: { ...good.data, vettingStatus: undefined } },
    ];
    for (const event of wrong) {
      expect(schemas.subscriberEventProblems(sent(event))).not.toEqual([]);
    }
  });
});
