import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// The storage account goes away under a running gateway. Reads fall back to a
// live Partner Center read, health says which check fails, and a submission is refused before
// anything is sent upstream (it could not be recorded first, so it must not be made at all).

/** A TCP relay in front of one Azurite endpoint, that can be cut (connections refused). */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** When set, connections stay open but nothing reaches storage: requests hang. */
  private blackHoled = false;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Storage that accepts connections and never answers (a black-holed endpoint). */
  blackHole(): void {
    this.blackHoled = true;
  }

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        if (!this.blackHoled) upstream.write(chunk);
      });
      upstream.pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the port and drops every open connection: new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const azurite = inject('azuriteConnectionString');
const endpoint = (name: string): URL => {
  const match = new RegExp(`${name}=([^;]+)`).exec(azurite);
  if (!match?.[1]) throw new Error(`no ${name} in the Azurite connection string`);
  return new URL(match[1]);
};
const relayTo = (url: URL) => new Relay({ host: url.hostname, port: Number(url.port) });

const tableRelay = relayTo(endpoint('TableEndpoint'));
const queueRelay = relayTo(endpoint('QueueEndpoint'));
let env: TestGateway;

beforeAll(async () => {
  await tableRelay.open();
  await queueRelay.open();
  const relayed = azurite
    .replace(/(TableEndpoint=http:\/\/[^:/]+:)\d+/, `$1${tableRelay.port}`)
    .replace(/(QueueEndpoint=http:\/\/[^:/]+:)\d+/, `$1${queueRelay.port}`);
  env = await startTestGateway({
    // Every read reaches storage here: the instance's memory of recent records would answer a
    // hit without it (recent-records.test.ts covers that memory).
    settings: { STORAGE_CONNECTION_STRING: relayed, CACHE_MEMORY_MAX_AGE_MS: '0' },
  });
});
afterAll(async () => {
  await env.close();
  await tableRelay.cut();
  await queueRelay.cut();
});

const qualificationsUrl = (customerId: string): string =>
  `${env.api}/customers/${customerId}/qualifications`;

describe('storage unreachable under a running gateway', () => {
  it('works while storage is up, then loses it', async () => {
    // The customer is cached while storage works...
    const customerId = SEEDED_CUSTOMERS.educationApproved;
    const first = await fetch(qualificationsUrl(customerId));
    expect(await first.json()).toMatchObject({ source: 'partner-center' });
    const cached = await fetch(qualificationsUrl(customerId));
    expect(await cached.json()).toMatchObject({ source: 'cache' });
    expect((await fetch(`${env.api}/health`)).status).toBe(200);

    // ...then the storage account becomes unreachable.
    await tableRelay.cut();
    await queueRelay.cut();
    await env.simulator.clearRequests();

    const [read, health, submit] = await Promise.all([
      fetch(qualificationsUrl(customerId)),
      fetch(`${env.api}/health`),
      fetch(qualificationsUrl(SEEDED_CUSTOMERS.noQualifications), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      }),
    ]);

    // GET: answered from a live Partner Center read, not from the unreachable cache.
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      customerId,
      qualifications: [{ qualification: 'Education', vettingStatus: 'Approved' }],
      source: 'partner-center',
      stale: false,
    });

    // Health names the failing check.
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'fail',
      checks: { storage: 'fail', partnerCenter: 'ok' },
    });

    // POST: a clear problem, no internals, and nothing sent to Partner Center.
    expect(submit.status).toBe(503);
    expect(submit.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(submit.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await submit.text();
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: submit.status });
    expect(typeof problem.correlationId).toBe('string');
    expect(text).not.toMatch(/ECONNREFUSED|RestError|\bat .+\(|\.ts:\d+|AccountKey|127\.0\.0\.1/);

    const upstream = await env.simulator.requests();
    expect(upstream.filter((r) => r.method === 'POST')).toEqual([]);
    expect(upstream.filter((r) => r.path.includes(customerId))).toHaveLength(1);
  });

  it('is healthy again once storage is back', async () => {
    await tableRelay.open(tableRelay.port);
    await queueRelay.open(queueRelay.port);
    const health = await fetch(`${env.api}/health`);
    expect(health.status).toBe(200);
    // The refused submission left nothing behind: no record with an open submission, nothing
    // in Partner Center.
    const customerId = SEEDED_CUSTOMERS.noQualifications as CustomerId;
    expect(await env.gateway.services.ledger.store.get(customerId)).toBeUndefined();
    const read = await fetch(qualificationsUrl(customerId));
    expect(await read.json()).toMatchObject({ source: 'partner-center', qualifications: [] });
  });
});

/** A gateway of its own whose table and queue endpoints go through relays a test can break. */
async function relayedGateway() {
  const tables = relayTo(endpoint('TableEndpoint'));
  const queues = relayTo(endpoint('QueueEndpoint'));
  await tables.open();
  await queues.open();
  const relayed = azurite
    .replace(/(TableEndpoint=http:\/\/[^:/]+:)\d+/, `$1${tables.port}`)
    .replace(/(QueueEndpoint=http:\/\/[^:/]+:)\d+/, `$1${queues.port}`);
  const gateway = await startTestGateway({ settings: { STORAGE_CONNECTION_STRING: relayed } });
  return {
    gateway,
    tables,
    queues,
    close: async () => {
      await gateway.close();
      await tables.cut();
      await queues.cut();
    },
  };
}

describe('storage that accepts connections and never answers', () => {
  it('is given up on at its deadline: a read goes live, a submission is refused with 503', async () => {
    const { gateway: hanging, tables, queues, close } = await relayedGateway();
    try {
      tables.blackHole();
      queues.blackHole();
      const customerId = SEEDED_CUSTOMERS.educationApproved;
      const [read, submit] = await Promise.all([
        fetch(`${hanging.api}/customers/${customerId}/qualifications`),
        fetch(`${hanging.api}/customers/${SEEDED_CUSTOMERS.noQualifications}/qualifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
        }),
      ]);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ source: 'partner-center' });
      expect(submit.status).toBe(503);
      expect(submit.headers.get('retry-after')).toMatch(/^\d+$/);
      const upstream = await hanging.simulator.requests();
      expect(upstream.filter((r) => r.method === 'POST')).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('storage lost while Partner Center accepts a submission', () => {
  it('answers 201 all the same, says it is not recorded yet, and the next read records it', async () => {
    const { gateway, tables, queues, close } = await relayedGateway();
    try {
      const customerId = await gateway.simulator.createCustomer();
      const url = `${gateway.api}/customers/${customerId}/qualifications`;
      await gateway.simulator.fault({
        method: 'POST',
        path: `/v1/customers/${customerId}/qualifications`,
        delayMs: 800,
      });
      const submitted = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'lost-storage' },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      });
      // The submission is recorded as open before the call; storage goes while it is out.
      await expect.poll(async () => (await gateway.simulator.requests()).length).toBeGreaterThan(0);
      await tables.cut();
      await queues.cut();

      const response = await submitted;
      expect(response.status).toBe(201);
      expect(response.headers.get('gateway-recorded')).toBe('false');
      expect(await response.json()).toMatchObject({
        qualification: 'Education',
        vettingStatus: 'InReview',
      });

      await tables.open(tables.port);
      await queues.open(queues.port);
      const read = await fetch(url);
      expect(await read.json()).toMatchObject({
        source: 'partner-center',
        qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
      });
      const history = (await (await fetch(`${url}/history`)).json()) as {
        events: { to: string; trigger: string }[];
      };
      expect(history.events).toMatchObject([{ to: 'InReview', trigger: 'submit' }]);
      // One submission reached Partner Center: every attempt under one MS-RequestId.
      const posts = (await gateway.simulator.requests()).filter((r) => r.method === 'POST');
      expect(new Set(posts.map((p) => p.headers['ms-requestid'])).size).toBe(1);
    } finally {
      await close();
    }
  }, 60_000);
});
