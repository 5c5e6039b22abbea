import type { TableClient } from '@azure/data-tables';
import type { CustomerId } from '../domain/customer-id.js';
import { systemClock } from '../domain/clock.js';
import type { Clock, WorkIndex, WorkItem } from '../domain/ports.js';
import { isLostRaceOrGone } from './table-errors.js';
import { shardOf } from './tables.js';

type WorkEntity = {
  partitionKey: string;
  rowKey: string;
  markedAt?: Date;
  lastCheckedAt?: Date;
  refusals?: number;
};

/**
 * The index of customers needing attention, in a table of its own so that the timer reads only
 * them, never the whole customer table, spread over the sixteen partitions of `shardOf`.
 */
export class TableWorkIndex implements WorkIndex {
  constructor(
    private readonly table: TableClient,
    private readonly ensureTables: () => Promise<void>,
    private readonly clock: Clock = systemClock,
  ) {}

  async mark(customerId: CustomerId): Promise<void> {
    await this.ensureTables();
    await this.table.upsertEntity<WorkEntity>(
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
   * Every indexed customer, following continuation tokens to the end, including the empty pages
   * that Table Storage may return with a token.
   */
  async *list(pageSize = 1000): AsyncGenerator<WorkItem[]> {
    await this.ensureTables();
    const pages = this.table
      .listEntities<WorkEntity>({
        queryOptions: { select: ['RowKey', 'lastCheckedAt', 'refusals'] },
      })
      .byPage({ maxPageSize: pageSize });
    for await (const page of pages) {
      yield page.map((entity) => ({
        customerId: entity.rowKey as CustomerId,
        etag: entity.etag,
        lastCheckedAt:
          entity.lastCheckedAt === undefined ? undefined : new Date(entity.lastCheckedAt),
        refusals: entity.refusals ?? 0,
      }));
    }
  }

  /** Remembers when the customer was last checked; a concurrent mark wins. */
  async touch(item: WorkItem, checkedAt: Date, refusals = 0): Promise<void> {
    try {
      await this.table.updateEntity<WorkEntity>(
        {
          partitionKey: shardOf(item.customerId),
          rowKey: item.customerId,
          lastCheckedAt: checkedAt,
          refusals,
        },
        'Merge',
        { etag: item.etag },
      );
    } catch (error) {
      if (!isLostRaceOrGone(error)) throw error;
    }
  }

  /**
   * Removes the customer from the index unless it was marked again since `item` was read:
   * the ETag check keeps a concurrent submission's mark.
   */
  async remove(item: WorkItem): Promise<boolean> {
    try {
      await this.table.deleteEntity(shardOf(item.customerId), item.customerId, { etag: item.etag });
      return true;
    } catch (error) {
      if (isLostRaceOrGone(error)) return false;
      throw error;
    }
  }
}
