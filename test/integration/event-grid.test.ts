import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EVENT_GRID_AUDIENCE,
  startEventGridTopic,
  type EventGridTopic,
} from '../../dev/event-grid-topic.js';
import { SUBSCRIBER_EVENT_DATA_SCHEMA } from '../../shared/events/subscriber-event.js';
import { startIdentityFixture, type IdentityFixture } from '../identity/fixture.js';
import { loadEventSchemas } from '../support/event-schemas.js';
import { loadTestTls } from '../support/test-certificate.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The Must-show of issue 15, end to end: the gateway as it runs in Azure — the composition root's
 * DefaultAzureCredential finds a user-assigned managed identity the way App Service offers it
 * (IDENTITY_ENDPOINT, IDENTITY_HEADER, AZURE_CLIENT_ID), served by the local Entra ID —, the real
 * @azure/eventgrid client, the local Event Grid topic, the Partner Center simulator deciding a
 * vetting, and Azurite's queue.
 */
let identity: IdentityFixture;
let topic: EventGridTopic;
let env: TestGateway;
const schemas = loadEventSchemas();
const AZURE_ENV = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_AUTHORITY_HOST',
];
const saved = new Map(AZURE_ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  const managedIdentity = { clientId: randomUUID(), identityHeader: `mi-${randomUUID()}` };
  identity = await startIdentityFixture([], { managedIdentity });
  topic = await startEventGridTopic({
    tls: await loadTestTls(),
    tenantId: identity.endpoint.tenantId,
  });
  // What App Service sets for the app (and the template sets AZURE_CLIENT_ID).
  process.env.IDENTITY_ENDPOINT = identity.endpoint.managedIdentityEndpoint;
  process.env.IDENTITY_HEADER = managedIdentity.identityHeader;
  process.env.AZURE_CLIENT_ID = managedIdentity.clientId;
  env = await startTestGateway({
    settings: {
      EVENT_SINKS: 'queue,event-grid',
      EVENT_GRID_TOPIC_ENDPOINT: topic.endpoint,
    },
  });
  env.secrets.add(managedIdentity.identityHeader);
});

afterAll(async () => {
  await env.close();
  await topic.close();
  await identity.endpoint.close();
  for (const [name, value] of saved) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
});

beforeEach(async () => {
  await topic.start();
  await env.simulator.clearFaults();
  await env.refresh(); // earlier tests' customers settled and their events through
  topic.reset();
  await env.events.clear();
});

const IN_REVIEW = {
  qualification: 'Education',
  vettingStatus: 'InReview',
  vettingCreateDate: '2026-11-20T10:00:00Z',
};

/** A customer pending in Partner Center whom the gateway has read once. */
async function pendingCustomer(): Promise<string> {
  const id = await env.simulator.createCustomer([IN_REVIEW]);
  expect((await fetch(`${env.api}/customers/${id}/qualifications`)).status).toBe(200);
  return id;
}

function expectValid(events: readonly unknown[]): void {
  for (const event of events) expect(schemas.subscriberEventProblems(event)).toEqual([]);
}

describe('vetting events through Event Grid', () => {
  it('a vetting decided upstream reaches the topic as one CloudEvent, with a token, and the queue gets its copy', async () => {
    const id = await pendingCustomer();
    await env.simulator.decide(id, 'Education', 'Approved');

    expect(await env.refresh()).toMatchObject({ changed: 1, failed: 0 });

    const [queued, ...moreQueued] = await env.events.drain();
    expect(moreQueued).toEqual([]);
    expect(topic.received).toEqual([
      {
        specversion: '1.0',
        type: 'com.partnercenter.qualification.approved',
        source: `/api/v1/customers/${id}/qualifications`,
        id: queued?.id,
        time: queued?.time,
        subject: `customers/${id}/qualifications/Education`,
        dataschema: SUBSCRIBER_EVENT_DATA_SCHEMA,
        datacontenttype: 'application/json',
        // The SDK's distributed tracing extension: the trace of the run that saw the change.
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/) as unknown,
        data: {
          customerId: id,
          qualification: 'Education',
          previousStatus: 'InReview',
          vettingStatus: 'Approved',
          trigger: 'refresh',
          correlationId: queued?.data.correlationId,
        },
      },
    ]);
    expect(topic.requests).toEqual([
      { status: 200, events: 1, credential: 'bearer', audience: EVENT_GRID_AUDIENCE },
    ]);
    expect(
      identity.endpoint
        .tokenRequests()
        .filter((r) => r.scope === `${EVENT_GRID_AUDIENCE}/.default`),
    ).not.toEqual([]);
    expectValid(topic.received);
    expect(schemas.queueMessageProblems(queued)).toEqual([]);

    // Nothing goes out twice: the next runs have nothing to publish.
    await env.refresh();
    expect(topic.received).toHaveLength(1);
    expect(await env.events.drain()).toEqual([]);
  });

  it('with the topic down for a while, the event arrives once it is back; the queue gets its copy at once, and only once', async () => {
    const id = await pendingCustomer();
    await topic.stop();
    await env.simulator.decide(id, 'Education', 'Denied', 'Not an Education Customer');

    expect(await env.refresh()).toMatchObject({ changed: 1, failed: 0 });
    const queued = await env.events.drain();
    expect(queued.map((e) => [e.data.customerId, e.data.vettingStatus])).toEqual([[id, 'Denied']]);
    expect(topic.received).toEqual([]);
    // Still down: the next run tries again, and the queue is not sent it again.
    await env.refresh();
    expect(await env.events.drain()).toEqual([]);

    await topic.start();
    await env.refresh();
    expect(topic.received.map((e) => [e.id, e.type, e.subject])).toEqual([
      [
        queued[0]?.id,
        'com.partnercenter.qualification.denied',
        `customers/${id}/qualifications/Education`,
      ],
    ]);
    expect(topic.received[0]).toMatchObject({
      data: { vettingReason: 'Not an Education Customer', trigger: 'refresh' },
    });
    expectValid(topic.received);
    expect(await env.events.drain()).toEqual([]);

    // Delivered everywhere: the outbox is empty and nothing more goes out.
    await env.refresh();
    expect(topic.received).toHaveLength(1);
    expect(await env.events.drain()).toEqual([]);
    const record = await env.gateway.services.ledger.store.get(id as never);
    expect(record?.value.unpublishedEvents).toEqual([]);
  });

  it('an outage costs submissions nothing once its circuit is open, and loses none of their events', async () => {
    topic.fail({ status: 503, times: 10_000 });
    const ids = await Promise.all(Array.from({ length: 8 }, () => env.simulator.createCustomer()));
    for (const id of ids) {
      const response = await fetch(`${env.api}/customers/${id}/qualifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      });
      expect(response.status).toBe(201);
    }
    // Three failed deliveries (each with the SDK's retries) open the circuit; the later
    // submissions do not call the topic at all.
    const attempts = topic.requests.length;
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThanOrEqual(3 * 3);
    expect((await env.events.drain()).length).toBe(ids.length);
    const held = await fetch(`${env.api}/health`);
    expect(held.status).toBe(200);
    expect(await held.json()).toMatchObject({ status: 'degraded', checks: { events: 'fail' } });

    topic.reset();
    await env.refresh();
    expect(await (await fetch(`${env.api}/health`)).json()).toMatchObject({
      status: 'ok',
      checks: { events: 'ok' },
    });
    const received = topic.received.map((e) => (e.data as { customerId: string }).customerId);
    expect(received.sort()).toEqual([...ids].sort());
    expect(
      topic.received.every((e) => e.type === 'com.partnercenter.qualification.submitted'),
    ).toBe(true);
    expectValid(topic.received);
    expect(await env.events.drain()).toEqual([]);
  });
});
