import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestError, TableClient } from '@azure/data-tables';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../shared/domain/storage-unavailable.js';
import { tableClientOptions } from '../../../shared/storage/storage-deadline.js';

// Azurite's well-known development account key: not a secret.
const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A Table Storage endpoint answering every request with `status`, counting the requests. */
async function tableAnswering(status: number) {
  let requests = 0;
  server = createServer((_request, response) => {
    requests++;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ 'odata.error': { code: `Status${String(status)}` } }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const table = TableClient.fromConnectionString(
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${String(port)}/devstoreaccount1;`,
    'records',
    {
      ...tableClientOptions,
      retryOptions: { maxRetries: 2, retryDelayInMs: 1 },
      allowInsecureConnection: true,
    },
  );
  return { table, requests: () => requests };
}

describe('the Table Storage client options', () => {
  it('turn a 5xx that outlasts the retries into a StorageUnavailableError with the cause', async () => {
    const { table, requests } = await tableAnswering(503);

    const error: unknown = await table.getEntity('p', 'r').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(RestError);
    expect(requests()).toBe(3);
  });

  it.each([404, 409, 412])(
    'leave a %i as the SDK reports it, for the adapters to read',
    async (status) => {
      const { table } = await tableAnswering(status);

      const error: unknown = await table.getEntity('p', 'r').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RestError);
      expect((error as RestError).statusCode).toBe(status);
    },
  );
});
