import type { CustomerId } from '../domain/customer-id.js';
import type { CustomerRecord } from '../domain/customer-record.js';
import type { Clock, CustomerStore, HistoryEntry, SaveResult, Stored } from '../domain/ports.js';

export interface RecentRecordsLimits {
  /** How long a copy is kept; 0 keeps none (every read goes to storage). */
  readonly maxAgeMs: number;
  /** How many customers' copies are kept at most; the least recently used goes first. */
  readonly maxEntries: number;
}

interface Entry {
  readonly stored: Stored<CustomerRecord>;
  /** When the copy was last known to match storage: the start of the read or write that got it. */
  readonly since: number;
}

/**
 * This instance's memory of the customer records it read or wrote itself lately, bounded in size
 * and age, so that a cache hit need not read storage again. Only reads that answer callers use
 * it; every writer reads storage (see `rememberingStore`). Another instance's write is seen once
 * the copy is older than `maxAgeMs`; this instance's own writes replace the copy when they commit
 * and drop it when they fail or lose a race.
 */
export class RecentRecords {
  private readonly entries = new Map<CustomerId, Entry>();
  /** Bumped when any write starts or ends: a read that overlapped one does not fill the memory. */
  private writes = 0;

  constructor(
    private readonly limits: RecentRecordsLimits,
    private readonly clock: Clock,
  ) {}

  /** The copy, while it is younger than the age limit. */
  get(customerId: CustomerId): Stored<CustomerRecord> | undefined {
    const entry = this.entries.get(customerId);
    if (entry === undefined) return undefined;
    if (this.clock.now().getTime() - entry.since >= this.limits.maxAgeMs) {
      this.entries.delete(customerId);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(customerId);
    this.entries.set(customerId, entry);
    return entry.stored;
  }

  /** Wraps a storage read: what it found is remembered unless a write overlapped it. */
  async read(
    customerId: CustomerId,
    get: () => Promise<Stored<CustomerRecord> | undefined>,
  ): Promise<Stored<CustomerRecord> | undefined> {
    const writesBefore = this.writes;
    const since = this.clock.now().getTime();
    const stored = await get();
    if (this.writes === writesBefore) {
      if (stored === undefined) this.entries.delete(customerId);
      else this.remember(customerId, stored, since);
    }
    return stored;
  }

  /** Wraps a storage write: a commit replaces the copy; a lost race or an error drops it. */
  async write(customerId: CustomerId, commit: () => Promise<SaveResult>, next: CustomerRecord) {
    this.writes++;
    this.entries.delete(customerId);
    const since = this.clock.now().getTime();
    try {
      const saved = await commit();
      if (saved.ok) this.remember(customerId, { value: next, etag: saved.etag }, since);
      return saved;
    } finally {
      this.writes++;
    }
  }

  private remember(customerId: CustomerId, stored: Stored<CustomerRecord>, since: number): void {
    if (this.limits.maxAgeMs <= 0 || this.limits.maxEntries <= 0) return;
    this.entries.delete(customerId);
    this.entries.set(customerId, { stored, since });
    while (this.entries.size > this.limits.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}

/**
 * The customer store with this instance's reads and writes passing through `recent`. Its `get`
 * always reads storage (writers decide on what storage holds); `recent.get` is for answering reads.
 */
export function rememberingStore(store: CustomerStore, recent: RecentRecords): CustomerStore {
  return {
    get: (customerId) => recent.read(customerId, () => store.get(customerId)),
    commit: (
      record: CustomerRecord,
      expectedEtag: string | undefined,
      history: readonly HistoryEntry[],
    ) => recent.write(record.customerId, () => store.commit(record, expectedEtag, history), record),
    commitFreshness: (record, expectedEtag) =>
      recent.write(record.customerId, () => store.commitFreshness(record, expectedEtag), record),
    history: (customerId, limit) => store.history(customerId, limit),
    ping: () => store.ping(),
  };
}
