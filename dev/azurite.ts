import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface AzuriteOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  tablePort?: number;
  /** Default 0: an ephemeral port. */
  queuePort?: number;
  /** Folder for persisted data; undefined keeps everything in memory. */
  location?: string;
}

export interface RunningAzurite {
  /** e.g. http://127.0.0.1:10002/devstoreaccount1 */
  tableEndpoint: string;
  queueEndpoint: string;
  connectionString: string;
  close(): Promise<void>;
}

// Azurite's public, documented development account; not a secret.
const accountName = 'devstoreaccount1';
const accountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

// Azurite ships CommonJS without type declarations; this is the part of it used here.
interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  readonly httpServer: Server;
}
type ServerConstructor = new (configuration: object) => AzuriteServer;
type ConfigurationConstructor = new (...args: unknown[]) => object;

const require = createRequire(import.meta.url);
const loadDefault = (path: string): unknown =>
  (require(`azurite/dist/src/${path}`) as { default: unknown }).default;
const loadServer = (path: string) => loadDefault(path) as ServerConstructor;
const loadConfiguration = (path: string) => loadDefault(path) as ConfigurationConstructor;

// Constructor arguments both services' configurations take.
const keepAliveSeconds = 5;
const loose = true;
const skipApiVersionCheck = true;
const noTls = ['', '', ''] as const; // cert, key, pfx password
const noOAuth = undefined;
const disableProductStyleUrl = false;

/**
 * Runs Azurite's Table and Queue services inside this process, as tests and the local host need
 * them: silent, no telemetry (only Azurite's CLI entry points send any), any API version accepted.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.location === undefined;
  const location = options.location ?? '';
  if (!inMemory) await mkdir(location, { recursive: true });

  const TableConfiguration = loadConfiguration('table/TableConfiguration.js');
  const TableServer = loadServer('table/TableServer.js');
  const QueueConfiguration = loadConfiguration('queue/QueueConfiguration.js');
  const QueueServer = loadServer('queue/QueueServer.js');

  // The same file names Azurite's own entry points (table/main.js, queue/main.js) use.
  const table = new TableServer(
    new TableConfiguration(
      host,
      options.tablePort ?? 0,
      keepAliveSeconds,
      join(location, '__azurite_db_table__.json'),
      false, // debug log
      false, // access log
      undefined, // access log stream
      undefined, // debug log file
      loose,
      skipApiVersionCheck,
      ...noTls,
      noOAuth,
      disableProductStyleUrl,
      inMemory,
    ),
  );
  const queue = new QueueServer(
    new QueueConfiguration(
      host,
      options.queuePort ?? 0,
      keepAliveSeconds,
      join(location, '__azurite_db_queue__.json'),
      join(location, '__azurite_db_queue_extent__.json'),
      [
        {
          locationId: 'Default',
          locationPath: join(location, '__queuestorage__'),
          maxConcurrency: 1,
        },
      ],
      false, // access log
      undefined, // access log stream
      false, // debug log
      undefined, // debug log file
      loose,
      skipApiVersionCheck,
      ...noTls,
      noOAuth,
      disableProductStyleUrl,
      inMemory,
    ),
  );

  await table.start();
  try {
    await queue.start();
  } catch (error) {
    await closeServer(table);
    throw error;
  }

  const tableEndpoint = endpointOf(table, host);
  const queueEndpoint = endpointOf(queue, host);
  return {
    tableEndpoint,
    queueEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};` +
      `TableEndpoint=${tableEndpoint};QueueEndpoint=${queueEndpoint};`,
    close: async () => {
      await Promise.all([closeServer(table), closeServer(queue)]);
    },
  };
}

// Path-style, as Azurite serves the development account on an IP address.
function endpointOf(server: AzuriteServer, host: string): string {
  const { port } = server.httpServer.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/${accountName}`;
}

// Azurite's close() asks its server to stop without waiting for it; wait, so the ports are free.
async function closeServer(server: AzuriteServer): Promise<void> {
  const stopped = server.httpServer.listening ? once(server.httpServer, 'close') : undefined;
  await server.close();
  await stopped;
}
