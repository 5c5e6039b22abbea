import { randomUUID } from 'node:crypto';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EVENT_GRID_AUDIENCE,
  startEventGridTopic,
  type EventGridTopic,
} from '../../dev/event-grid-topic.js';
import {
  qualificationEvent,
  type QualificationEvent,
} from '../../shared/domain/qualification-event.js';
import { EventGridSink, type EventGridSinkOptions } from '../../shared/events/event-grid-sink.js';
import {
  SUBSCRIBER_EVENT_DATA_SCHEMA,
  SUBSCRIBER_EVENT_TYPES,
} from '../../shared/events/subscriber-event.js';
import { startIdentityFixture, type IdentityFixture } from '../identity/fixture.js';
import { loadEventSchemas } from '../support/event-schemas.js';
import { loadTestTls } from '../support/test-certificate.js';

// The real @azure/eventgrid client and a real @azure/identity credential, against the local
// Entra ID and the local Event Grid topic, both on https loopback.
let identity: IdentityFixture;
let topic: EventGridTopic;
let credential: TokenCredential;
const schemas = loadEventSchemas();
const FAST_RETRY = { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 50 };

beforeAll(async () => {
  identity = await startIdentityFixture();
  topic = await startEventGridTopic({
    tls: await loadTestTls(),
    tenantId: identity.endpoint.tenantId,
  });
  credential = new ClientSecretCredential(
    identity.endpoint.tenantId,
    identity.client.clientId,
    identity.client.clientSecret,
    { authorityHost: identity.endpoint.authorityHost, disableInstanceDiscovery: true },
  );
});
afterAll(async () => {
  await topic.close();
  await identity.endpoint.close();
});
beforeEach(async () => {
  await topic.start();
  topic.reset();
});

function sink(options: Partial<EventGridSinkOptions> = {}): EventGridSink {
  return new EventGridSink({ endpoint: topic.endpoint, credential, retry: FAST_RETRY, ...options });
}

function change(to: string, from: string | null = 'InReview', reason?: string): QualificationEvent {
  return qualificationEvent(
    randomUUID(),
    {
      qualification: 'Education',
      from,
      to,
      ...(reason !== undefined && { vettingReason: reason }),
    },
    randomUUID(),
    new Date('2026-12-01T10:00:00.000Z'),
    randomUUID(),
    'refresh',
  );
}

const forever = () => new AbortController().signal;

describe('EventGridSink with @azure/eventgrid against the local topic', () => {
  it('publishes each change as one CloudEvent with the documented type, subject, id, time and data, with a token', async () => {
    const events = [
      change('Approved'),
      change('Denied', 'InReview', 'Not an academic domain'),
      change('InReview', null),
      change('Suspended', 'Approved'),
    ];
    const result = await sink().send(events, forever());

    expect(result).toEqual({ delivered: events.map((e) => e.id) });
    expect(topic.requests).toEqual([
      { status: 200, events: 4, credential: 'bearer', audience: EVENT_GRID_AUDIENCE },
    ]);
    const [approved, denied, submitted, other] = topic.received;
    const customer = events[0]?.data.customerId ?? '';
    expect(approved).toEqual({
      specversion: '1.0',
      type: SUBSCRIBER_EVENT_TYPES.approved,
      source: `/api/v1/customers/${customer}/qualifications`,
      id: events[0]?.id,
      time: '2026-12-01T10:00:00.000Z',
      subject: `customers/${customer}/qualifications/Education`,
      dataschema: SUBSCRIBER_EVENT_DATA_SCHEMA,
      datacontenttype: 'application/json',
      data: {
        customerId: customer,
        qualification: 'Education',
        previousStatus: 'InReview',
        vettingStatus: 'Approved',
        trigger: 'refresh',
        correlationId: events[0]?.data.correlationId,
      },
    });
    expect(denied).toMatchObject({
      type: SUBSCRIBER_EVENT_TYPES.denied,
      data: { vettingReason: 'Not an academic domain' },
    });
    expect(submitted).toMatchObject({
      type: SUBSCRIBER_EVENT_TYPES.submitted,
      data: { previousStatus: null },
    });
    expect(other).toMatchObject({ type: SUBSCRIBER_EVENT_TYPES.changed });
    for (const event of topic.received) expect(schemas.subscriberEventProblems(event)).toEqual([]);
  });

  it('batches: sends that arrive while a request is out go together in the next one', async () => {
    const publisher = sink();
    const events = Array.from({ length: 20 }, () => change('Approved'));
    const results = await Promise.all(events.map((e) => publisher.send([e], forever())));

    expect(results.map((r) => r.delivered)).toEqual(events.map((e) => [e.id]));
    expect(topic.requests.map((r) => r.events)).toEqual([1, 19]);
    expect(topic.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('a batch refused as a whole (400) is sent again caller by caller: one bad event holds back no other', async () => {
    const publisher = sink();
    const events = Array.from({ length: 8 }, () => change('Approved'));
    // Event Grid refuses a whole batch for one event without its required attributes.
    const bad = { ...change('Denied'), id: '' };
    const results = await Promise.all(
      [...events.slice(0, 4), bad, ...events.slice(4)].map((e) => publisher.send([e], forever())),
    );

    expect(results[4]).toMatchObject({ delivered: [] });
    expect(results[4]?.failure).toBeDefined();
    expect(results.filter((r) => r.failure === undefined).flatMap((r) => r.delivered)).toEqual(
      events.map((e) => e.id),
    );
    // The first alone; the next batch of eight refused; then each of its callers alone.
    expect(topic.requests.map((r) => [r.status, r.events])).toEqual([
      [200, 1],
      [400, 0],
      ...Array.from({ length: 8 }, (_, i) => (i === 3 ? [400, 0] : [200, 1])),
    ]);
    expect(topic.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('keeps a batch within its bounds', async () => {
    const publisher = sink({ maxBatchEvents: 5 });
    const events = Array.from({ length: 12 }, () => change('Denied'));
    await Promise.all(events.map((e) => publisher.send([e], forever())));

    expect(topic.requests.map((r) => r.events)).toEqual([1, 5, 5, 1]);
    expect(new Set(topic.received.map((e) => e.id)).size).toBe(12);
  });

  it('retries after 5xx and 429 (Retry-After), and the event arrives once', async () => {
    topic.fail({ status: 503, times: 2 });
    topic.fail({ status: 429, retryAfterMs: 200 });
    const event = change('Approved');

    const result = await sink().send([event], forever());

    expect(result.delivered).toEqual([event.id]);
    expect(topic.requests.map((r) => r.status)).toEqual([503, 503, 429, 200]);
    expect(topic.received.map((e) => e.id)).toEqual([event.id]);
  });

  it('reports a failure once the retries are spent, and sends nothing twice', async () => {
    topic.fail({ status: 500, times: 4 });
    const event = change('Approved');

    const result = await sink().send([event], forever());

    expect(result.delivered).toEqual([]);
    expect((result.failure as { statusCode?: number }).statusCode).toBe(500);
    expect(topic.requests.map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(topic.received).toEqual([]);
  });

  it('fails while the topic is down, and delivers once it is back', async () => {
    await topic.stop();
    const event = change('Approved');
    const publisher = sink();

    const during = await publisher.send([event], forever());
    expect(during.delivered).toEqual([]);
    expect(during.failure).toBeDefined();

    await topic.start();
    const after = await publisher.send([event], forever());
    expect(after.delivered).toEqual([event.id]);
    expect(topic.received.map((e) => e.id)).toEqual([event.id]);
  });

  it('gives up within its deadline on a topic that never answers in time', async () => {
    topic.fail({ status: 503, times: 100, retryAfterMs: 60_000 });
    const result = await sink({ timeoutMs: 300 }).send([change('Approved')], forever());
    expect(result.delivered).toEqual([]);
    expect(topic.received).toEqual([]);
  });

  it('answers a caller past its deadline without sending its events', async () => {
    const gone = new AbortController();
    gone.abort(new Error('deadline'));
    const result = await sink().send([change('Approved')], gone.signal);
    expect(result.delivered).toEqual([]);
    expect(topic.requests).toEqual([]);
  });
});

describe('the local topic, like a topic with local authentication disabled', () => {
  it('refuses an access key', async () => {
    const client = new EventGridPublisherClient(
      topic.endpoint,
      'CloudEvent',
      new AzureKeyCredential('a-key-that-the-topic-does-not-take'),
      { retryOptions: { maxRetries: 0 } },
    );
    const error = await client
      .send([{ type: 't', source: '/s', id: randomUUID(), data: {} }])
      .catch((e: unknown) => e);
    expect((error as { statusCode?: number }).statusCode).toBe(401);
    expect(topic.requests).toEqual([{ status: 401, events: 0, credential: 'key' }]);
  });

  it('refuses a token for another audience', async () => {
    const otherAudience: TokenCredential = {
      getToken: (
        _scopes: string | string[],
        options?: GetTokenOptions,
      ): Promise<AccessToken | null> =>
        credential.getToken('https://api.partnercenter.microsoft.com/.default', options),
    };
    const result = await sink({
      credential: otherAudience,
      retry: { ...FAST_RETRY, maxRetries: 0 },
    }).send([change('Approved')], forever());
    expect((result.failure as { statusCode?: number }).statusCode).toBe(401);
    expect(topic.requests).toEqual([
      {
        status: 401,
        events: 0,
        credential: 'bearer',
        audience: 'https://api.partnercenter.microsoft.com',
      },
    ]);
  });
});
