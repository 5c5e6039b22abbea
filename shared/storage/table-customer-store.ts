import { randomBytes } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerRecord } from '../domain/customer-record.js';
import type { CustomerStore, HistoryEntry, SaveResult, Stored } from '../domain/ports.js';
import type { OutboxEvent } from '../domain/qualification-event.js';
import { isLostRace, requireEtag, tableStatusCode } from './table-errors.js';

const RECORD_ROW = 'record';
const HEALTH_PROBE_TIMEOUT_MS = 2_000;
const HISTORY_PREFIX = 'history|';
// '}' sorts right after '|', so [HISTORY_PREFIX, HISTORY_END) is exactly the history rows.
const HISTORY_END = 'history}';
const MAX_TIME = 9_999_999_999_999;

const qualificationsSchema = z.array(
  z.object({
    qualification: z.string(),
    vettingStatus: z.string().optional(),
    vettingReason: z.string().optional(),
    vettingCreateDate: z.string().optional(),
  }),
);
const openSubmissionsSchema = z.array(
  z.object({
    requestId: z.string(),
    qualification: z.string(),
    submittedAt: z.string(),
    correlationId: z.string(),
  }),
);
const recentlyAcceptedSchema = z.array(
  z.object({ qualification: z.string(), acceptedAt: z.string() }),
);
const historyEntrySchema = z.object({
  at: z.string(),
  qualification: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  vettingReason: z.string().optional(),
  trigger: z.enum(['submit', 'refresh', 'read']),
  correlationId: z.string(),
});

// Type aliases, not interfaces: the SDK's entity type needs an index signature. The JSON lists
// may be spread over more properties (see `spread`).
type RecordEntity = {
  partitionKey: string;
  rowKey: string;
  qualifications?: string;
  lastSyncedAt?: Date;
  openSubmissions: string;
  recentlyAccepted?: string;
  unpublishedEvents: string;
} & Record<string, unknown>;

/** Characters in one string property: Table Storage takes 64 KiB of UTF-16. */
const MAX_PROPERTY_CHARS = 32_000;
/** An entity holds 1 MiB; what is kept leaves room for the keys and system properties. */
const MAX_RECORD_CHARS = 480_000;

/** A JSON list as `name`, then `name_1`, `name_2`… when it is longer than one property holds. */
function spread(name: string, json: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (let i = 0, at = 0; at < json.length || i === 0; i++, at += MAX_PROPERTY_CHARS) {
    parts[i === 0 ? name : `${name}_${String(i)}`] = json.slice(at, at + MAX_PROPERTY_CHARS);
  }
  return parts;
}

/** The JSON `spread` wrote, or undefined when the property is absent. */
function gather(entity: Record<string, unknown>, name: string): string | undefined {
  const first = entity[name];
  if (typeof first !== 'string') return undefined;
  let json = first;
  for (let i = 1; typeof entity[`${name}_${String(i)}`] === 'string'; i++) {
    json += entity[`${name}_${String(i)}`] as string;
  }
  return json;
}

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
    private readonly table: TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {}

  async get(customerId: CustomerId): Promise<Stored<CustomerRecord> | undefined> {
    await this.ensureTables();
    let entity: RecordEntity & { etag: string };
    try {
      entity = await this.table.getEntity<RecordEntity>(customerId, RECORD_ROW);
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
            ? await this.table.createEntity(entity)
            : await this.table.updateEntity(entity, 'Replace', { etag: expectedEtag });
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
      const response = await this.table.submitTransaction(actions);
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
      const response = await this.table.updateEntity(
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
    const pages = this.table
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
      await this.table.getEntity('health', 'probe', {
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

function toEntity(record: CustomerRecord): RecordEntity {
  const entity: RecordEntity = {
    partitionKey: record.customerId,
    rowKey: RECORD_ROW,
    ...(record.qualifications !== undefined &&
      spread('qualifications', JSON.stringify(record.qualifications))),
    ...(record.lastSyncedAt !== undefined && { lastSyncedAt: record.lastSyncedAt }),
    ...(spread('openSubmissions', JSON.stringify(record.openSubmissions)) as {
      openSubmissions: string;
    }),
    recentlyAccepted: JSON.stringify(record.recentlyAccepted),
    ...(spread('unpublishedEvents', JSON.stringify(record.unpublishedEvents)) as {
      unpublishedEvents: string;
    }),
  };
  const size = Object.values(entity).reduce<number>(
    (sum, value) => sum + (typeof value === 'string' ? value.length : 0),
    0,
  );
  if (size > MAX_RECORD_CHARS) {
    throw new RecordTooLargeError(
      `The record of customer ${record.customerId} would hold ${String(size)} characters, more than Table Storage takes`,
    );
  }
  return entity;
}

/** A record beyond what one entity holds: retrying the same write cannot succeed. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
}

function toRecord(customerId: CustomerId, entity: RecordEntity): CustomerRecord {
  const qualifications = gather(entity, 'qualifications');
  return {
    customerId,
    qualifications:
      qualifications === undefined
        ? undefined
        : qualificationsSchema.parse(JSON.parse(qualifications)),
    lastSyncedAt: entity.lastSyncedAt === undefined ? undefined : new Date(entity.lastSyncedAt),
    openSubmissions: openSubmissionsSchema.parse(
      JSON.parse(gather(entity, 'openSubmissions') ?? '[]'),
    ),
    recentlyAccepted: recentlyAcceptedSchema.parse(JSON.parse(entity.recentlyAccepted ?? '[]')),
    // Written only by this module from OutboxEvent values.
    unpublishedEvents: JSON.parse(gather(entity, 'unpublishedEvents') ?? '[]') as OutboxEvent[],
  };
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
