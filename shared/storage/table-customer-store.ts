import { randomBytes } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import * as z from 'zod/mini';
import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerRecord } from '../domain/customer-record.js';
import type { CustomerStore, HistoryEntry, SaveResult, Stored } from '../domain/ports.js';
import { RECORD_ROW, toEntity, toRecord, type RecordEntity } from './customer-record-entity.js';
import { isLostRace, requireEtag, tableStatusCode } from './table-errors.js';
import '../zod-english.js';

const HEALTH_PROBE_TIMEOUT_MS = 2_000;
const HISTORY_PREFIX = 'history|';
// '}' sorts right after '|', so [HISTORY_PREFIX, HISTORY_END) is exactly the history rows.
const HISTORY_END = 'history}';
const MAX_TIME = 9_999_999_999_999;

// Made on its first parse (z.lazy), not while an instance starts.
const historyEntrySchema = z.lazy(() =>
  z.object({
    at: z.string(),
    qualification: z.string(),
    from: z.nullable(z.string()),
    to: z.string(),
    vettingReason: z.optional(z.string()),
    trigger: z.enum(['submit', 'refresh', 'read']),
    correlationId: z.string(),
  }),
);

type HistoryEntity = {
  partitionKey: string;
  rowKey: string;
  entry: string;
};

/**
 * Each customer is one partition: the record row plus one row per history entry, so that a
 * status change and its history are written in one entity-group transaction.
 */
export class TableCustomerStore implements CustomerStore {
  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {}

  async get(customerId: CustomerId): Promise<Stored<CustomerRecord> | undefined> {
    await this.ensureTables();
    let entity: RecordEntity & { etag: string };
    try {
      entity = await this.table().getEntity<RecordEntity>(customerId, RECORD_ROW);
    } catch (error) {
      if (tableStatusCode(error) === 404) return undefined;
      throw new Error(`Could not read the record of customer ${customerId}`, { cause: error });
    }
    return { value: toRecord(customerId, entity), etag: entity.etag };
  }

  async commit(
    record: CustomerRecord,
    expectedEtag: string | undefined,
    history: readonly HistoryEntry[],
  ): Promise<SaveResult> {
    await this.ensureTables();
    const entity = toEntity(record);
    try {
      if (history.length === 0) {
        const response =
          expectedEtag === undefined
            ? await this.table().createEntity(entity)
            : await this.table().updateEntity(entity, 'Replace', { etag: expectedEtag });
        return saved(response.etag);
      }
      const actions: TransactionAction[] = [
        expectedEtag === undefined
          ? ['create', entity]
          : ['update', entity, 'Replace', { etag: expectedEtag }],
        ...history.map((entry): TransactionAction => [
          'create',
          historyEntity(record.customerId, entry),
        ]),
      ];
      const response = await this.table().submitTransaction(actions);
      return saved(response.subResponses[0]?.etag);
    } catch (error) {
      if (isLostRace(error)) return { ok: false };
      throw new Error(`Could not store the record of customer ${record.customerId}`, {
        cause: error,
      });
    }
  }

  async commitFreshness(record: CustomerRecord, expectedEtag: string): Promise<SaveResult> {
    if (record.lastSyncedAt === undefined) throw new Error('A freshness write needs lastSyncedAt');
    await this.ensureTables();
    try {
      const response = await this.table().updateEntity(
        { partitionKey: record.customerId, rowKey: RECORD_ROW, lastSyncedAt: record.lastSyncedAt },
        'Merge',
        { etag: expectedEtag },
      );
      return saved(response.etag);
    } catch (error) {
      if (isLostRace(error)) return { ok: false };
      throw new Error(`Could not store the record of customer ${record.customerId}`, {
        cause: error,
      });
    }
  }

  async history(customerId: CustomerId, limit: number): Promise<HistoryEntry[]> {
    await this.ensureTables();
    const entries: HistoryEntry[] = [];
    const pages = this.table()
      .listEntities<HistoryEntity>({
        queryOptions: {
          filter: `PartitionKey eq '${customerId}' and RowKey ge '${HISTORY_PREFIX}' and RowKey lt '${HISTORY_END}'`,
          select: ['entry'],
        },
      })
      .byPage({ maxPageSize: Math.min(limit, 1000) });
    for await (const page of pages) {
      for (const entity of page) {
        entries.push(historyEntrySchema.parse(JSON.parse(entity.entry)));
        if (entries.length >= limit) return entries;
      }
    }
    return entries;
  }

  async ping(): Promise<void> {
    await this.ensureTables();
    // A point read of a row that never exists: one cheap round trip that proves access.
    try {
      // Bounded: a probe must answer quickly, not wait out the SDK's retries.
      await this.table().getEntity('health', 'probe', {
        abortSignal: AbortSignal.timeout(HEALTH_PROBE_TIMEOUT_MS),
      });
    } catch (error) {
      if (tableStatusCode(error) !== 404) throw error;
    }
  }
}

function saved(etag: string | undefined): SaveResult {
  return { ok: true, etag: requireEtag(etag) };
}

/** Newest first by row key: an inverted timestamp, then a random tie-breaker. */
function historyEntity(customerId: CustomerId, entry: HistoryEntry): HistoryEntity {
  const inverted = String(MAX_TIME - Date.parse(entry.at)).padStart(13, '0');
  return {
    partitionKey: customerId,
    rowKey: `${HISTORY_PREFIX}${inverted}|${randomBytes(4).toString('hex')}`,
    entry: JSON.stringify(entry),
  };
}
