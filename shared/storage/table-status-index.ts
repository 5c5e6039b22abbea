import type { TableClient } from '@azure/data-tables';
import { statusChanged, type CustomerRecord } from '../domain/customer-record.js';
import type {
  RecordProjection,
  StatusIndexListing,
  StatusIndexPage,
  StatusView,
} from '../domain/ports.js';
import { HeldTransactions } from './held-transactions.js';
import { isContinuationToken } from './continuation-token.js';
import { tableStatusCode } from './table-errors.js';
import {
  everyOtherStatus,
  leftStatuses,
  rowAddress,
  statusEntities,
  statusRowId,
  type StatusEntity,
  type StatusRow,
} from './status-rows.js';

/** Empty pages Table Storage may return before a full one; followed a few times, then handed back. */
const MAX_EMPTY_PAGES = 5;

/**
 * Qualifications by vetting status, a projection of the customer records kept for
 * `GET /qualifications?vettingStatus=…`: partitions = status|shard, row = qualification|customer,
 * so a status (and qualification) is one key-range read, never a scan of all customers.
 */
export class TableStatusIndex implements StatusView, RecordProjection {
  private readonly held: HeldTransactions;

  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {
    this.held = new HeldTransactions(table, ensureTables);
  }

  /**
   * Brings the view in line with a record just committed (after `previous`): its rows upserted,
   * the rows of statuses it left deleted. Where a status changed, the rows of every other status
   * the qualification may have are deleted too, so that a row a failed or out-of-order
   * projection left behind goes at the next change at the latest.
   */
  async project(previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void> {
    await this.write(
      next,
      statusChanged(previous, next)
        ? everyOtherStatus(previous, next)
        : leftStatuses(previous, next),
    );
  }

  /** Makes the view exact for `record`, whatever it held: for a customer the timer lets go. */
  async repair(record: CustomerRecord): Promise<void> {
    await this.write(record, everyOtherStatus(undefined, record));
  }

  /**
   * Held per partition (status and shard) and merged in transactions of up to 100 rows: the
   * timer's checks that find nothing new share their view writes. A merge of a row gone since
   * (its status changed) fails alone and is dropped: the row is not re-created.
   */
  async projectSync(next: CustomerRecord): Promise<void> {
    const lastSyncedAt = next.lastSyncedAt;
    if (lastSyncedAt === undefined) return;
    await Promise.all(
      statusEntities(next, lastSyncedAt).map(({ partitionKey, rowKey }) =>
        this.held.hold(partitionKey, [['update', { partitionKey, rowKey, lastSyncedAt }, 'Merge']]),
      ),
    );
  }

  /**
   * What `project` writes for a status change, for the timer's checks: the rows of the statuses
   * the record left (there since its last projection) deleted and its new rows written, held per
   * partition and sent with other checks' in transactions, until `flush` or a moment later. The
   * other statuses' rows, there only if a projection failed or ran out of order, are deleted at
   * once, each alone (a transaction fails whole on a row that is not there). Resolves once all
   * have settled; rejects if one failed.
   */
  async projectChange(previous: CustomerRecord | undefined, next: CustomerRecord): Promise<void> {
    const lastSyncedAt = next.lastSyncedAt;
    if (next.qualifications === undefined || lastSyncedAt === undefined) return;
    const left = leftStatuses(previous, next);
    const known = new Set(left.map(statusRowId));
    const unlikely = everyOtherStatus(previous, next).filter((row) => !known.has(statusRowId(row)));
    await Promise.all([
      ...left.map((row) => {
        const address = rowAddress(row, next.customerId);
        // A row gone already settles as not applied: gone is what the delete wanted.
        return this.held.hold(address.partitionKey, [['delete', address]]);
      }),
      ...statusEntities(next, lastSyncedAt).map((entity) =>
        this.held.hold(entity.partitionKey, [['upsert', entity, 'Replace']]),
      ),
      this.ensureTables().then(() => this.deleteRows(next, unlikely)),
    ]);
  }

  flush(): Promise<void> {
    return this.held.flush();
  }

  private async write(next: CustomerRecord, stale: readonly StatusRow[]): Promise<void> {
    const lastSyncedAt = next.lastSyncedAt;
    if (next.qualifications === undefined || lastSyncedAt === undefined) return;
    await this.ensureTables();
    // Different rows, in different partitions: sent together, none waits for another.
    await Promise.all([
      this.deleteRows(next, stale),
      ...statusEntities(next, lastSyncedAt).map((entity) =>
        this.table().upsertEntity<StatusEntity>(entity, 'Replace'),
      ),
    ]);
  }

  /** Deletes the customer's rows under `rows`, each alone; one not there is no failure. */
  private async deleteRows(record: CustomerRecord, rows: readonly StatusRow[]): Promise<void> {
    await Promise.all(
      rows.map(async (row) => {
        const { partitionKey, rowKey } = rowAddress(row, record.customerId);
        try {
          await this.table().deleteEntity(partitionKey, rowKey);
        } catch (error) {
          if (tableStatusCode(error) !== 404) throw error;
        }
      }),
    );
  }

  async list(
    vettingStatus: string,
    qualification: string | undefined,
    pageSize: number,
    continuationToken: string | undefined,
  ): Promise<StatusIndexListing> {
    if (continuationToken !== undefined && !isContinuationToken(continuationToken)) {
      return { ok: false, reason: 'invalid-continuation-token' };
    }
    return {
      ok: true,
      page: await this.page(vettingStatus, qualification, pageSize, continuationToken),
    };
  }

  private async page(
    vettingStatus: string,
    qualification: string | undefined,
    pageSize: number,
    continuationToken: string | undefined,
  ): Promise<StatusIndexPage> {
    await this.ensureTables();
    // Every shard of the status, in one range read.
    const status = escape(vettingStatus);
    const partitions = `PartitionKey ge '${status}|' and PartitionKey lt '${status}}'`;
    const range =
      qualification === undefined
        ? ''
        : ` and RowKey ge '${escape(qualification)}|' and RowKey lt '${escape(qualification)}}'`;
    let token = continuationToken;
    for (let page = 0; page < MAX_EMPTY_PAGES; page++) {
      const iterator = this.table()
        .listEntities<StatusEntity>({
          queryOptions: { filter: `${partitions}${range}` },
        })
        .byPage({
          maxPageSize: pageSize,
          ...(token !== undefined && { continuationToken: token }),
        });
      const result = await iterator.next();
      if (result.done === true) return { items: [], continuationToken: null };
      const entities = result.value;
      token = entities.continuationToken;
      if (entities.length > 0 || token === undefined) {
        return {
          items: entities.map((e) => ({
            customerId: e.customerId,
            qualification: e.qualification,
            vettingStatus,
            ...(e.vettingCreateDate !== undefined && { vettingCreateDate: e.vettingCreateDate }),
            lastSyncedAt: new Date(e.lastSyncedAt).toISOString(),
          })),
          continuationToken: token ?? null,
        };
      }
    }
    return { items: [], continuationToken: token ?? null };
  }
}

/** OData string literal: a quote is doubled. Inputs are validated to letters before this. */
function escape(value: string): string {
  return value.replace(/'/g, "''");
}
