import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { CustomerId } from '../domain/customer-id.js';
import { tableClientOptions } from './storage-deadline.js';
import { tableErrorCode, tableStatusCode } from './table-errors.js';
import { once, onFirstUse } from '../on-first-use.js';

/** Where the gateway's data lives: a connection string locally, endpoints + identity in Azure. */
export type StorageConnection =
  | { readonly kind: 'connection-string'; readonly connectionString: string }
  | {
      readonly kind: 'endpoint';
      readonly tableEndpoint: string;
      readonly queueEndpoint: string;
      readonly credential: TokenCredential;
    };

/** Azurite and other plain-http endpoints need the SDK's explicit consent. */
function isInsecure(connection: StorageConnection): boolean {
  return connection.kind === 'connection-string'
    ? /UseDevelopmentStorage=true|http:\/\//i.test(connection.connectionString)
    : connection.tableEndpoint.startsWith('http:');
}

const TABLE_NAMES = {
  customers: 'CustomerQualifications',
  workIndex: 'PendingWork',
  idempotency: 'IdempotencyRecords',
  statusIndex: 'QualificationsByStatus',
  decisions: 'VettingDecisions',
} as const;
type TableRole = keyof typeof TABLE_NAMES;

/** The names of the gateway's tables: what the deployment template creates, and the code uses. */
export function gatewayTableNames(prefix: string): string[] {
  return Object.values(TABLE_NAMES).map((name) => `${prefix}${name}`);
}

/**
 * Whether the gateway creates its tables and queue itself, on first use. With a connection string
 * (Azurite, a developer's account) it does. With endpoints reached by the managed identity (Azure)
 * the deployment template has created them, and the identity holds data roles only.
 */
export function createsStorageOnFirstUse(connection: StorageConnection): boolean {
  return connection.kind === 'connection-string';
}

/**
 * Each table's client, made on its first use (a cold start makes none: the first costs about
 * 2 ms, each next one 0.4 ms), then kept for the process.
 */
export type GatewayTables = Readonly<Record<TableRole, () => TableClient>> & {
  /**
   * Creates the tables that are missing, when the gateway creates its own storage (see
   * createsStorageOnFirstUse); safe to call repeatedly and concurrently.
   */
  ensureCreated(): Promise<void>;
};

/**
 * The partition of a customer in the tables spread by customer: sixteen, by the id's first hex
 * digit, since one partition serves about 2,000 entities/s.
 */
export function shardOf(customerId: CustomerId): string {
  return customerId.charAt(0);
}

/**
 * One TableClient per table for the whole process, made on its first use; `prefix` keeps
 * environments apart.
 */
export function createGatewayTables(connection: StorageConnection, prefix: string): GatewayTables {
  const make = (role: TableRole): TableClient => {
    const name = `${prefix}${TABLE_NAMES[role]}`;
    if (connection.kind === 'connection-string') {
      const options: TableServiceClientOptions = {
        ...tableClientOptions,
        allowInsecureConnection: isInsecure(connection),
      };
      return TableClient.fromConnectionString(connection.connectionString, name, options);
    }
    return new TableClient(connection.tableEndpoint, name, connection.credential, {
      ...tableClientOptions,
      allowInsecureConnection: isInsecure(connection),
    });
  };
  const clients = {
    customers: once(() => make('customers')),
    workIndex: once(() => make('workIndex')),
    idempotency: once(() => make('idempotency')),
    statusIndex: once(() => make('statusIndex')),
    decisions: once(() => make('decisions')),
  };
  const created = onFirstUse(() =>
    Promise.all(Object.values(clients).map((client) => createIfMissing(client()))).then(
      () => undefined,
      (error: unknown) => {
        throw new Error('Could not create the gateway tables', { cause: error });
      },
    ),
  );
  const ensureCreated = (): Promise<void> =>
    createsStorageOnFirstUse(connection) ? created() : Promise.resolve();
  return { ...clients, ensureCreated };
}

/**
 * Creates the table unless it exists. A table being deleted (also a 409) is not there: that is
 * an error, and the next use tries again.
 */
export async function createIfMissing(client: Pick<TableClient, 'createTable'>): Promise<void> {
  try {
    await client.createTable();
  } catch (error) {
    // The SDK answers TableAlreadyExists itself when the body says so; not every 409 does.
    if (tableStatusCode(error) === 409 && tableErrorCode(error) !== 'TableBeingDeleted') return;
    throw error;
  }
}
