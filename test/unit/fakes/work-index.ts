import type { CustomerId } from '../../../shared/domain/customer-id.js';
import type { WorkIndex, WorkItem } from '../../../shared/domain/ports.js';

export interface PageLayout {
  /** Items per full page. */
  readonly pageSize: number;
  /** Empty pages before, between and after the full ones, as Table Storage may return them. */
  readonly emptyPagesBetween: number;
}

/**
 * The work index in memory, listed the way Table Storage pages a query: in key order (here,
 * turn order, ties in insertion order), with empty pages that still carry a continuation token. Each entry has an
 * ETag, so that a remove after a concurrent mark fails as it does on the table.
 */
export class InMemoryWorkIndex implements WorkIndex {
  private readonly entries = new Map<
    CustomerId,
    { etag: string; lastCheckedAt?: Date; refusals?: number }
  >();
  private version = 0;
  readonly touched: CustomerId[] = [];
  readonly removed: CustomerId[] = [];
  readonly marked: CustomerId[] = [];
  pagesServed = 0;
  flushes = 0;
  listedToTheEnd = false;

  constructor(private readonly layout: PageLayout = { pageSize: 1000, emptyPagesBetween: 0 }) {}

  add(customerId: CustomerId, lastCheckedAt?: Date): void {
    this.entries.set(customerId, {
      etag: this.nextEtag(),
      ...(lastCheckedAt !== undefined && { lastCheckedAt }),
    });
  }

  has(customerId: CustomerId): boolean {
    return this.entries.has(customerId);
  }

  lastCheckedAt(customerId: CustomerId): Date | undefined {
    return this.entries.get(customerId)?.lastCheckedAt;
  }

  /** In turn order, as the table's row keys give it: never checked first, then by last check. */
  async *list(checkedBefore?: Date): AsyncIterable<WorkItem[]> {
    const turn = (item: WorkItem): number => item.lastCheckedAt?.getTime() ?? -Infinity;
    const items: WorkItem[] = [...this.entries]
      .map(([customerId, entry]) => ({
        customerId,
        etag: entry.etag,
        lastCheckedAt: entry.lastCheckedAt,
        refusals: entry.refusals ?? 0,
      }))
      .filter((item) => checkedBefore === undefined || turn(item) < checkedBefore.getTime())
      .sort((a, b) => turn(a) - turn(b));
    const { pageSize, emptyPagesBetween } = this.layout;
    yield* this.emptyPages(emptyPagesBetween);
    for (let start = 0; start < items.length; start += pageSize) {
      await Promise.resolve();
      this.pagesServed++;
      yield items.slice(start, start + pageSize);
      yield* this.emptyPages(emptyPagesBetween);
    }
    this.listedToTheEnd = true;
  }

  touch(item: WorkItem, checkedAt: Date, refusals = 0): Promise<void> {
    const entry = this.entries.get(item.customerId);
    if (entry?.etag === item.etag) {
      this.entries.set(item.customerId, {
        etag: this.nextEtag(),
        lastCheckedAt: checkedAt,
        refusals,
      });
      this.touched.push(item.customerId);
    }
    return Promise.resolve();
  }

  remove(item: WorkItem): Promise<boolean> {
    if (this.entries.get(item.customerId)?.etag !== item.etag) return Promise.resolve(false);
    this.entries.delete(item.customerId);
    this.removed.push(item.customerId);
    return Promise.resolve(true);
  }

  mark(customerId: CustomerId): Promise<void> {
    const entry = this.entries.get(customerId);
    this.entries.set(customerId, { ...entry, etag: this.nextEtag(), refusals: 0 });
    this.marked.push(customerId);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }

  private async *emptyPages(count: number): AsyncIterable<WorkItem[]> {
    for (let i = 0; i < count; i++) {
      await Promise.resolve();
      this.pagesServed++;
      yield [];
    }
  }

  private nextEtag(): string {
    this.version++;
    return `W/"${this.version}"`;
  }
}
