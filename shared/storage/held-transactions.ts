import type { TableClient, TransactionAction } from '@azure/data-tables';
import { isLostRaceOrGone, tableStatusCode } from './table-errors.js';

/** What one entity-group transaction takes. */
const BATCH_OPERATIONS = 100;
/** How long a partition's first held write waits for others before its transaction goes anyway. */
const DEFAULT_LINGER_MS = 1_000;

/** A partition's held writes, with what a next write must be checked against. */
interface Batch {
  readonly writes: HeldWrite[];
  operations: number;
  /** The row keys the batch names. */
  readonly rows: Set<string>;
}

/** Operations waiting for their partition's next transaction, as one write. */
interface HeldWrite {
  readonly actions: readonly TransactionAction[];
  readonly settle: (applied: boolean) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Writes of one table held per partition and sent in entity-group transactions of up to 100
 * operations: many small writes, one round trip. A partition's writes go as soon as they fill a
 * transaction, or `lingerMs` after the first of them was held, whichever comes first; `flush`
 * sends the rest at once. A write settles with its transaction: true once applied,
 * false when it lost a race or its row was gone (a refused operation fails the whole
 * transaction, so its writes are then sent one by one to tell whose it was), rejected on any
 * other failure. A write held and lost with its process is never sent: hold only what the next
 * writer would redo.
 */
export class HeldTransactions {
  private readonly held = new Map<string, Batch>();
  private readonly sending = new Set<Promise<void>>();
  private readonly lingering = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
    private readonly lingerMs = DEFAULT_LINGER_MS,
  ) {}

  /** Holds `actions` (all in `partitionKey`) to be committed together, in one transaction. */
  hold(partitionKey: string, actions: readonly TransactionAction[]): Promise<boolean> {
    const pending = this.held.get(partitionKey);
    if (
      pending !== undefined &&
      (pending.operations + actions.length > BATCH_OPERATIONS ||
        actions.some((action) => pending.rows.has(rowOf(action))))
    ) {
      // Full, or a row the transaction already names (one transaction names a row once).
      this.send(partitionKey);
    }
    return new Promise((settle, fail) => {
      let batch = this.held.get(partitionKey);
      if (batch === undefined) {
        batch = { writes: [], operations: 0, rows: new Set() };
        this.held.set(partitionKey, batch);
      }
      batch.writes.push({ actions, settle, fail });
      batch.operations += actions.length;
      for (const action of actions) batch.rows.add(rowOf(action));
      if (batch.operations >= BATCH_OPERATIONS) this.send(partitionKey);
      else if (!this.lingering.has(partitionKey)) {
        // Never what keeps a process alive: a process that ends drops what it holds anyway.
        const timer = setTimeout(() => {
          this.send(partitionKey);
        }, this.lingerMs).unref();
        this.lingering.set(partitionKey, timer);
      }
    });
  }

  /** Sends every partition's held writes; resolves once all sent so far have settled. */
  async flush(): Promise<void> {
    for (const partitionKey of [...this.held.keys()]) this.send(partitionKey);
    while (this.sending.size > 0) await Promise.all(this.sending);
  }

  private send(partitionKey: string): void {
    clearTimeout(this.lingering.get(partitionKey));
    this.lingering.delete(partitionKey);
    const writes = this.held.get(partitionKey)?.writes ?? [];
    this.held.delete(partitionKey);
    if (writes.length === 0) return;
    const sent = this.commit(writes).finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  private async commit(writes: readonly HeldWrite[]): Promise<void> {
    try {
      await this.ensureTables();
      await this.table().submitTransaction(writes.flatMap((w) => w.actions));
      for (const write of writes) write.settle(true);
      return;
    } catch (error) {
      const status = tableStatusCode(error);
      if (writes.length === 1 || status === undefined || status >= 500) {
        for (const write of writes) settleFailed(write, error);
        return;
      }
    }
    await Promise.all(writes.map((write) => this.commit([write])));
  }
}

function settleFailed(write: HeldWrite, error: unknown): void {
  if (isLostRaceOrGone(error)) write.settle(false);
  else write.fail(error);
}

function rowOf(action: TransactionAction): string {
  return action[1].rowKey;
}
