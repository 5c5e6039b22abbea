import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startAzurite } from '../dev/azurite.js';

// Table and queue names must be unique per test so suites can share one Azurite.
const uniqueName = (prefix: string): string => `${prefix}${randomUUID().replaceAll('-', '')}`;

describe('the shared in-memory Azurite from the global setup', () => {
  const connectionString = inject('azuriteConnectionString');

  it('names only the Table and Queue endpoints, on the development account', () => {
    expect(connectionString).toMatch(/AccountName=devstoreaccount1;/);
    expect(connectionString).toMatch(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/);
    expect(connectionString).toMatch(/QueueEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/);
    expect(connectionString).not.toMatch(/BlobEndpoint/);
  });

  it('serves tables: create, upsert, get', async () => {
    const table = TableClient.fromConnectionString(connectionString, uniqueName('t'), {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', state: 'pending' });

    const entity = await table.getEntity<{ state: string }>('p', 'r');

    expect(entity.state).toBe('pending');
  });

  it('serves queues: send, receive', async () => {
    const queue = new QueueClient(connectionString, uniqueName('q'));
    await queue.create();
    await queue.sendMessage('hello');

    const received = await queue.receiveMessages();

    expect(received.receivedMessageItems.map((item) => item.messageText)).toEqual(['hello']);
  });
});

describe('startAzurite', () => {
  const cleanUps: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanUp of cleanUps.reverse()) await cleanUp();
  });

  it('keeps data across restarts when given a location', async () => {
    const location = await mkdtemp(join(tmpdir(), 'azurite-'));
    cleanUps.push(() => rm(location, { recursive: true, force: true }));
    const tableName = uniqueName('t');
    const first = await startAzurite({ location });
    const firstTable = TableClient.fromConnectionString(first.connectionString, tableName, {
      allowInsecureConnection: true,
    });
    await firstTable.createTable();
    await firstTable.upsertEntity({ partitionKey: 'p', rowKey: 'r', kept: true });
    await first.close();

    const second = await startAzurite({ location });
    cleanUps.push(() => second.close());
    const secondTable = TableClient.fromConnectionString(second.connectionString, tableName, {
      allowInsecureConnection: true,
    });

    const entity = await secondTable.getEntity<{ kept: boolean }>('p', 'r');
    expect(entity.kept).toBe(true);
  });

  it('frees its ports on close', async () => {
    const azurite = await startAzurite({});
    await azurite.close();

    await expect(fetch(azurite.tableEndpoint)).rejects.toThrow();
  });
});
