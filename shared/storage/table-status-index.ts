import type { TableClient } from '@azure/data-tables';
import type { CustomerId } from '../domain/customer-id.js';
import { statusChanged, type CustomerRecord } from '../domain/customer-record.js';
import { KNOWN_VETTING_STATUSES, type Qualification } from '../domain/qualification.js';
import type {
  RecordProjection,
  StatusIndexListing,
  StatusIndexPage,
  StatusView,
} from '../domain/ports.js';
import { HeldTransactions } from './held-transactions.js';
import { isContinuationToken } from './continuation-token.js';
import { tableStatusCode } from './table-errors.js';
import { shardOf } from './tables.js';

type StatusEntity = {
  partitionKey: string;
  rowKey: string;
  customerId: string;
  qualification: string;
  vettingCreateDate?: string;
  lastSyncedAt: Date;
};

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
    if (next.qualifications === undefined || lastSyncedAt === undefined) return;
    await Promise.all(
      next.qualifications.filter(hasStatus).map((q) => {
        const partitionKey = partitionOf(q.vettingStatus, next.customerId);
        const row = {
          partitionKey,
          rowKey: rowKey(q.qualification, next.customerId),
          lastSyncedAt,
        };
        return this.held.hold(partitionKey, [['update', row, 'Merge']]);
      }),
    );
  }

  flush(): Promise<void> {
    return this.held.flush();
  }

  private async write(next: CustomerRecord, stale: readonly StatusRow[]): Promise<void> {
    const lastSyncedAt = next.lastSyncedAt;
    if (next.qualifications === undefined || lastSyncedAt === undefined) return;
    await this.ensureTables();
    // Different rows, in different partitions: sent together, none waits for another.
    const deletes = stale.map(async ({ qualification, vettingStatus }) => {
      try {
        await this.table().deleteEntity(
          partitionOf(vettingStatus, next.customerId),
          rowKey(qualification, next.customerId),
        );
      } catch (error) {
        if (tableStatusCode(error) !== 404) throw error;
      }
    });
    const upserts = next.qualifications.filter(hasStatus).map((q) =>
      this.table().upsertEntity<StatusEntity>(
        {
          partitionKey: partitionOf(q.vettingStatus, next.customerId),
          rowKey: rowKey(q.qualification, next.customerId),
          customerId: next.customerId,
          qualification: q.qualification,
          ...(q.vettingCreateDate !== undefined && { vettingCreateDate: q.vettingCreateDate }),
          lastSyncedAt,
        },
        'Replace',
      ),
    );
    await Promise.all([...deletes, ...upserts]);
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

/** Only names that are safe as keys; Partner Center's statuses and qualifications are words. */
const WORD = /^[A-Za-z]{1,64}$/;

function hasStatus(q: Qualification): q is Qualification & { vettingStatus: string } {
  return q.vettingStatus !== undefined && WORD.test(q.vettingStatus) && WORD.test(q.qualification);
}

interface StatusRow {
  readonly qualification: string;
  readonly vettingStatus: string;
}

/** Rows of `previous` that `next` no longer has. */
function leftStatuses(previous: CustomerRecord | undefined, next: CustomerRecord): StatusRow[] {
  const current = new Set(
    (next.qualifications ?? [])
      .filter(hasStatus)
      .map((q) => `${q.vettingStatus}/${q.qualification}`),
  );
  return (previous?.qualifications ?? [])
    .filter(hasStatus)
    .filter((q) => !current.has(`${q.vettingStatus}/${q.qualification}`));
}

/**
 * Every row the customer may have that `next` does not: the statuses Partner Center documents
 * and those `previous` had, for each qualification of either.
 */
function everyOtherStatus(previous: CustomerRecord | undefined, next: CustomerRecord): StatusRow[] {
  const rows = leftStatuses(previous, next);
  for (const q of next.qualifications ?? []) {
    if (!WORD.test(q.qualification)) continue;
    for (const status of KNOWN_VETTING_STATUSES) {
      if (status !== q.vettingStatus)
        rows.push({ qualification: q.qualification, vettingStatus: status });
    }
  }
  const unique = new Map(rows.map((row) => [`${row.vettingStatus}/${row.qualification}`, row]));
  return [...unique.values()];
}

/**
 * A status is spread over the sixteen partitions of `shardOf`: one partition per status would be
 * hot once every customer of a run changes.
 */
function partitionOf(vettingStatus: string, customerId: CustomerId): string {
  return `${vettingStatus}|${shardOf(customerId)}`;
}

function rowKey(qualification: string, customerId: string): string {
  return `${qualification}|${customerId}`;
}

/** OData string literal: a quote is doubled. Inputs are validated to letters before this. */
function escape(value: string): string {
  return value.replace(/'/g, "''");
}
