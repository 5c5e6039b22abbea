import { QueueClient } from '@azure/storage-queue';
import { queueClientOptions } from './storage-deadline.js';
import type { StorageConnection } from './tables.js';

export function createQueueClient(connection: StorageConnection, queueName: string): QueueClient {
  return connection.kind === 'connection-string'
    ? new QueueClient(connection.connectionString, queueName, queueClientOptions)
    : new QueueClient(
        `${connection.queueEndpoint.replace(/\/$/, '')}/${queueName}`,
        connection.credential,
        queueClientOptions,
      );
}
