import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { inject } from 'vitest';

/** A new, empty table of the test run's Azurite, named `prefix` and a random suffix. */
export async function freshTable(prefix: string): Promise<TableClient> {
  const table = TableClient.fromConnectionString(
    inject('azuriteConnectionString'),
    `${prefix}${randomUUID().replaceAll('-', '')}`,
    { allowInsecureConnection: true },
  );
  await table.createTable();
  return table;
}

/** Counts the entity-group transactions `table` submits from now on. */
export function countTransactions(table: TableClient): () => number {
  let transactions = 0;
  const submitTransaction = table.submitTransaction.bind(table);
  table.submitTransaction = (...args: Parameters<TableClient['submitTransaction']>) => {
    transactions++;
    return submitTransaction(...args);
  };
  return () => transactions;
}
