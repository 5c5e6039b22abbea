import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken } from '@azure/identity';
import type { QueueClient } from '@azure/storage-queue';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueEventPublisher } from '../../shared/storage/queue-event-publisher.js';
import {
  createGatewayTables,
  createsStorageOnFirstUse,
  gatewayTableNames,
} from '../../shared/storage/tables.js';
import type { QualificationEvent } from '../../shared/domain/qualification-event.js';

/** A storage endpoint that records every request and answers 201, as a create would be. */
async function recordingEndpoint() {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/devstoreaccount1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

const credential = {
  getToken: (): Promise<AccessToken> =>
    Promise.resolve({ token: 'unit-test', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** A queue client that counts what the publisher asks of it. */
function countingQueue() {
  const calls = { created: 0, sent: 0 };
  const queue = {
    createIfNotExists: () => {
      calls.created++;
      return Promise.resolve({ succeeded: true });
    },
    sendMessage: () => {
      calls.sent++;
      return Promise.resolve({});
    },
  } as unknown as QueueClient;
  return { queue, calls };
}

const event = { id: 'e1' } as unknown as QualificationEvent;

describe('storage provisioning', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });

  it('creates the tables on first use with a connection string (Azurite, a developer account)', async () => {
    const endpoint = await recordingEndpoint();
    closing.push(endpoint.close);
    const connection = {
      kind: 'connection-string' as const,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=${endpoint.url};`,
    };
    expect(createsStorageOnFirstUse(connection)).toBe(true);
    await createGatewayTables(connection, 'Dev').ensureCreated();
    expect(
      endpoint.requests.filter((r) => r.startsWith('POST') && r.includes('/Tables')),
    ).toHaveLength(gatewayTableNames('Dev').length);
  });

  it('creates nothing with endpoints and an identity: the template did, and the identity may not', async () => {
    const endpoint = await recordingEndpoint();
    closing.push(endpoint.close);
    const connection = {
      kind: 'endpoint' as const,
      tableEndpoint: endpoint.url,
      queueEndpoint: endpoint.url,
      credential,
    };
    expect(createsStorageOnFirstUse(connection)).toBe(false);
    await createGatewayTables(connection, 'Dev').ensureCreated();
    expect(endpoint.requests).toEqual([]);
  });

  it('sends events without creating the queue when told the queue exists', async () => {
    const { queue, calls } = countingQueue();
    const publisher = new QueueEventPublisher(queue, false);
    await publisher.publish(event);
    await publisher.publish(event);
    expect(calls).toEqual({ created: 0, sent: 2 });
  });

  it('creates the queue once, on first use, when it owns it', async () => {
    const { queue, calls } = countingQueue();
    const publisher = new QueueEventPublisher(queue, true);
    await publisher.publish(event);
    await publisher.publish(event);
    expect(calls).toEqual({ created: 1, sent: 2 });
  });

  it('names the tables the same way for the template and the code', () => {
    expect(gatewayTableNames('Prod')).toEqual([
      'ProdCustomerQualifications',
      'ProdPendingWork',
      'ProdIdempotencyRecords',
      'ProdQualificationsByStatus',
      'ProdVettingDecisions',
    ]);
  });
});
