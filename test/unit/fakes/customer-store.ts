import type { CustomerId } from '../../../shared/domain/customer-id.js';
import type { CustomerRecord } from '../../../shared/domain/customer-record.js';
import type {
  CustomerStore,
  HistoryEntry,
  SaveResult,
  Stored,
} from '../../../shared/domain/ports.js';

/**
 * Table Storage's customer partition in memory: one record per customer guarded by an ETag, and
 * its history rows written in the same step. `latencyMs` makes every round trip asynchronous in
 * time, as a real table is.
 */
export class InMemoryCustomerStore implements CustomerStore {
  private readonly records = new Map<CustomerId, Stored<CustomerRecord>>();
  private readonly historyRows = new Map<CustomerId, HistoryEntry[]>();
  private version = 0;
  commits = 0;
  /** Of `commits`, those that wrote lastSyncedAt alone. */
  freshnessCommits = 0;
  reads = 0;

  /** Without a latency, a round trip takes no time at all (it still yields to other promises). */
  constructor(private readonly latencyMs?: number | ((customerId: CustomerId) => number)) {}

  /** Puts a record in place as if an earlier write had stored it. */
  seed(record: CustomerRecord): void {
    this.records.set(record.customerId, { value: record, etag: this.nextEtag() });
  }

  /** The stored record, read without a round trip. */
  peek(customerId: CustomerId): CustomerRecord | undefined {
    return this.records.get(customerId)?.value;
  }

  async get(customerId: CustomerId): Promise<Stored<CustomerRecord> | undefined> {
    await this.roundTrip(customerId);
    this.reads++;
    return this.records.get(customerId);
  }

  async commit(
    record: CustomerRecord,
    expectedEtag: string | undefined,
    history: readonly HistoryEntry[],
  ): Promise<SaveResult> {
    await this.roundTrip(record.customerId);
    if (this.records.get(record.customerId)?.etag !== expectedEtag) return { ok: false };
    const etag = this.nextEtag();
    this.records.set(record.customerId, { value: record, etag });
    const rows = this.historyRows.get(record.customerId) ?? [];
    this.historyRows.set(record.customerId, [...[...history].reverse(), ...rows]);
    this.commits++;
    return { ok: true, etag };
  }

  async commitFreshness(record: CustomerRecord, expectedEtag: string): Promise<SaveResult> {
    await this.roundTrip(record.customerId);
    const stored = this.records.get(record.customerId);
    if (stored?.etag !== expectedEtag || record.lastSyncedAt === undefined) return { ok: false };
    const etag = this.nextEtag();
    this.records.set(record.customerId, {
      value: { ...stored.value, lastSyncedAt: record.lastSyncedAt },
      etag,
    });
    this.commits++;
    this.freshnessCommits++;
    return { ok: true, etag };
  }

  async history(customerId: CustomerId, limit: number): Promise<HistoryEntry[]> {
    await this.roundTrip(customerId);
    return (this.historyRows.get(customerId) ?? []).slice(0, limit);
  }

  async ping(): Promise<void> {
    await this.roundTrip();
  }

  private nextEtag(): string {
    this.version++;
    return `W/"${this.version}"`;
  }

  private roundTrip(customerId?: CustomerId): Promise<void> {
    const { latencyMs } = this;
    if (latencyMs === undefined) return Promise.resolve();
    const ms =
      typeof latencyMs === 'number'
        ? latencyMs
        : customerId === undefined
          ? 0
          : latencyMs(customerId);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
