import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { CustomerId } from '../domain/customer-id.js';
import { systemClock } from '../domain/clock.js';
import type { Clock, WorkIndex, WorkItem } from '../domain/ports.js';
import { mergeByKey } from './merge-by-key.js';
import { HeldTransactions } from './held-transactions.js';
import { isLostRaceOrGone } from './table-errors.js';
import { shardOf } from './tables.js';

type WorkEntity = {
  partitionKey: string;
  rowKey: string;
  markedAt?: Date;
  refusals?: number;
};

/**
 * Row key of a customer checked since its mark: `t|<check time, 13-digit epoch ms>|<customer id>`.
 * 't' sorts after every hex digit, so a partition lists its marked customers (row key = the bare
 * customer id, as a mark writes it) first, then the checked ones, least recently checked first.
 */
const CHECKED = 't|';
const TIME_DIGITS = 13;
const SHARDS = Array.from({ length: 16 }, (_, digit) => digit.toString(16));
/** Rows read per shard and request; sixteen pages at most are held while a run lists. */
const PAGE_SIZE = 250;

/**
 * The index of customers needing attention, in a table of its own so that the timer reads only
 * them, never the whole customer table, spread over the sixteen partitions of `shardOf`. The
 * row keys are the turn order: a run reads the sixteen partitions side by side in key order,
 * a page at a time, and merges them, so it holds a few pages however long the index is. Writes
 * of checked rows are held per partition and sent in entity-group transactions of up to 100
 * operations (one round trip for up to 50 touches); `flush` sends what is held. A write held
 * and lost with its process only costs a second check next run.
 */
export class TableWorkIndex implements WorkIndex {
  private readonly held: HeldTransactions;

  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
    private readonly clock: Clock = systemClock,
  ) {
    this.held = new HeldTransactions(table, ensureTables);
  }

  async mark(customerId: CustomerId): Promise<void> {
    await this.ensureTables();
    await this.table().upsertEntity<WorkEntity>(
      {
        partitionKey: shardOf(customerId),
        rowKey: customerId,
        markedAt: this.clock.now(),
        refusals: 0,
      },
      'Merge',
    );
  }

  /**
   * Every indexed customer (checked before `checkedBefore`) in turn order, following
   * continuation tokens to the end, including the empty pages that Table Storage may return with
   * a token. A customer may show twice (marked again after a check, until the timer's next touch
   * folds the two rows into one).
   */
  async *list(checkedBefore?: Date): AsyncGenerator<WorkItem[]> {
    await this.ensureTables();
    const bound =
      checkedBefore === undefined
        ? ''
        : ` and RowKey lt '${CHECKED}${digits(checkedBefore.getTime())}'`;
    const shards = SHARDS.map((shard) =>
      this.table()
        .listEntities<WorkEntity>({
          queryOptions: {
            filter: `PartitionKey eq '${shard}'${bound}`,
            select: ['RowKey', 'refusals'],
          },
        })
        .byPage({ maxPageSize: PAGE_SIZE }),
    );
    for await (const page of mergeByKey(shards, (entity) => entity.rowKey, PAGE_SIZE)) {
      yield page.map(toItem);
    }
  }

  /** Moves the customer to the back of the line; a concurrent mark wins. */
  touch(item: WorkItem, checkedAt: Date, refusals = 0): Promise<void> {
    const partitionKey = shardOf(item.customerId);
    const from = rowKeyOf(item);
    const entity: WorkEntity = {
      partitionKey,
      rowKey: checkedRowKey(checkedAt, item.customerId),
      refusals,
    };
    const upsert: TransactionAction = ['upsert', entity, 'Replace'];
    if (from === entity.rowKey) return this.held.hold(partitionKey, [upsert]).then(() => undefined);
    if (item.lastCheckedAt !== undefined) {
      // Only the timer writes checked rows (a mark writes the bare id): moved in one transaction.
      const remove: TransactionAction = ['delete', { partitionKey, rowKey: from }];
      return this.held.hold(partitionKey, [remove, upsert]).then(() => undefined);
    }
    // A mark's row: a newer mark must win, and a transaction's delete takes no ETag. The checked
    // row is written first, so that the customer is never out of the index; then the mark's row
    // goes, unless marked again (the two rows are folded into one at the next touch).
    return this.held.hold(partitionKey, [upsert]).then(async (moved) => {
      if (moved) await this.removeMark(item);
    });
  }

  /**
   * Removes the customer from the index unless it was marked again since `item` was read:
   * the ETag check keeps a concurrent submission's mark (a checked row is never marked).
   */
  remove(item: WorkItem): Promise<boolean> {
    if (item.lastCheckedAt === undefined) return this.removeMark(item);
    const partitionKey = shardOf(item.customerId);
    return this.held.hold(partitionKey, [['delete', { partitionKey, rowKey: rowKeyOf(item) }]]);
  }

  private async removeMark(item: WorkItem): Promise<boolean> {
    await this.ensureTables();
    try {
      await this.table().deleteEntity(shardOf(item.customerId), item.customerId, {
        etag: item.etag,
      });
      return true;
    } catch (error) {
      if (isLostRaceOrGone(error)) return false;
      throw error;
    }
  }

  flush(): Promise<void> {
    return this.held.flush();
  }
}

function toItem(entity: WorkEntity & { etag: string }): WorkItem {
  const checked = entity.rowKey.startsWith(CHECKED);
  const customerId = checked
    ? entity.rowKey.slice(CHECKED.length + TIME_DIGITS + 1)
    : entity.rowKey;
  return {
    customerId: customerId as CustomerId,
    etag: entity.etag,
    lastCheckedAt: checked
      ? new Date(Number(entity.rowKey.slice(CHECKED.length, CHECKED.length + TIME_DIGITS)))
      : undefined,
    refusals: entity.refusals ?? 0,
  };
}

/** The row an item was listed from: `toItem` the other way round. */
function rowKeyOf(item: WorkItem): string {
  return item.lastCheckedAt === undefined
    ? item.customerId
    : checkedRowKey(item.lastCheckedAt, item.customerId);
}

function checkedRowKey(checkedAt: Date, customerId: CustomerId): string {
  return `${CHECKED}${digits(checkedAt.getTime())}|${customerId}`;
}

function digits(epochMs: number): string {
  return String(Math.max(0, Math.floor(epochMs))).padStart(TIME_DIGITS, '0');
}
