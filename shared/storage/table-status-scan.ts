import type { TableClient } from '@azure/data-tables';
import type { StatusRow } from '../domain/vetting-summary.js';

type KeysOnly = { partitionKey: string; rowKey: string; vettingCreateDate?: string };

const PAGE_SIZE = 1_000;

/**
 * Reads the by-status view (QualificationsByStatus: partition `<status>|<shard>`, row
 * `<qualification>|<customer id>`) for counts and ages: keys and vettingCreateDate only, at most
 * `maxRows` rows. One row per customer and qualification, never the customer records.
 */
export class TableStatusScan {
  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {}

  /** Every status, or only `vettingStatus`'s partitions. */
  async scan(
    maxRows: number,
    vettingStatus?: string,
  ): Promise<{ rows: StatusRow[]; truncated: boolean }> {
    await this.ensureTables();
    const rows: StatusRow[] = [];
    const filter =
      vettingStatus === undefined || !/^[A-Za-z]+$/.test(vettingStatus)
        ? undefined
        : `PartitionKey ge '${vettingStatus}|' and PartitionKey lt '${vettingStatus}}'`;
    const pages = this.table()
      .listEntities<KeysOnly>({
        queryOptions: {
          select: ['PartitionKey', 'RowKey', 'vettingCreateDate'],
          ...(filter !== undefined && { filter }),
        },
      })
      .byPage({ maxPageSize: Math.min(PAGE_SIZE, maxRows) });
    for await (const page of pages) {
      for (const e of page) {
        if (rows.length >= maxRows) return { rows, truncated: true };
        const status = e.partitionKey.split('|')[0];
        const qualification = e.rowKey.split('|')[0];
        if (!status || !qualification) continue;
        rows.push({
          qualification,
          vettingStatus: status,
          ...(e.vettingCreateDate !== undefined && { vettingCreateDate: e.vettingCreateDate }),
        });
      }
    }
    return { rows, truncated: false };
  }
}
