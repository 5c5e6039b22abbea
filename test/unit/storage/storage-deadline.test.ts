import { TableClient, RestError, AzureNamedKeyCredential } from '@azure/data-tables';
import { createHttpHeaders, type HttpClient } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../shared/domain/storage-unavailable.js';
import { tableClientOptions } from '../../../shared/storage/storage-deadline.js';

/** Table Storage answering every request with `status` (the data-tables tests' transport seam). */
function tableAnswering(status: number): { table: TableClient; requests: () => number } {
  let requests = 0;
  const httpClient: HttpClient = {
    sendRequest: (request) => {
      requests++;
      return Promise.resolve({
        status,
        request,
        headers: createHttpHeaders({ 'content-type': 'application/json' }),
        bodyAsText: JSON.stringify({ 'odata.error': { code: `Status${String(status)}` } }),
      });
    },
  };
  const table = new TableClient(
    'https://account.table.core.windows.net',
    'records',
    new AzureNamedKeyCredential('account', Buffer.from('key').toString('base64')),
    { ...tableClientOptions, retryOptions: { maxRetries: 2, retryDelayInMs: 1 }, httpClient },
  );
  return { table, requests: () => requests };
}

describe('the Table Storage client options', () => {
  it('turn a 5xx that outlasts the retries into a StorageUnavailableError with the cause', async () => {
    const { table, requests } = tableAnswering(503);

    const error: unknown = await table.getEntity('p', 'r').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(RestError);
    expect(requests()).toBe(3);
  });

  it('leave a refusal (404, 409, 412) as the SDK reports it, for the adapters to read', async () => {
    for (const status of [404, 409, 412]) {
      const { table } = tableAnswering(status);
      const error: unknown = await table.getEntity('p', 'r').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RestError);
      expect((error as RestError).statusCode).toBe(status);
    }
  });
});
