import { statusChanged, type CustomerRecord } from '../domain/customer-record.js';
import type { CallContext, RecordProjection } from '../domain/ports.js';
import { describeError } from '../logging/redact.js';

/** What a check's view writes need of the run: its log, and a place to leave their settling. */
export interface CheckWrites {
  readonly call: CallContext;
  /** Takes a write that settles while the worker goes on; the run waits for it before it ends. */
  readonly after: (write: Promise<void>) => void;
}

/**
 * The projection as the ledger calls it during one timer check. The check's view writes are
 * held with other checks' and sent in transactions (the run waits for them before it ends): a
 * check that found nothing new moves only lastSyncedAt (`projectSync`); a status change
 * (`projectChange`) is noted, once its writes have settled, as the record the view is exact for
 * (it deletes the rows of every other status, as a repair does). A projection that fails is not
 * noted: the customer's view is repaired when it leaves the index. Any other change is projected
 * at once, as the ledger would.
 */
export class ViewWatch {
  readonly projection: RecordProjection | undefined;
  private exactFor: string | undefined;
  private readonly writes: Promise<void>[] = [];

  constructor(inner: RecordProjection | undefined, run: CheckWrites) {
    this.projection = inner && {
      project: async (previous, next) => {
        if (sameQualifications(previous, next)) {
          run.after(
            inner.projectSync(next).catch((error: unknown) => {
              notProjected(
                run,
                next,
                error,
                "Could not write the by-status view's lastSyncedAt; the next check does",
              );
            }),
          );
          return;
        }
        if (statusChanged(previous, next)) {
          const write = inner.projectChange(previous, next).then(
            () => {
              this.exactFor = viewOf(next);
            },
            (error: unknown) => {
              notProjected(
                run,
                next,
                error,
                'Could not update the by-status view; repaired when the timer lets the customer go',
              );
            },
          );
          this.writes.push(write);
          run.after(write);
          return;
        }
        await inner.project(previous, next);
      },
      repair: (record) => inner.repair(record),
      projectSync: (next) => inner.projectSync(next),
      projectChange: (previous, next) => inner.projectChange(previous, next),
      flush: () => inner.flush(),
    };
  }

  /** Resolves once every status-change write of this check has settled (never rejects). */
  async settled(): Promise<void> {
    await Promise.all(this.writes);
  }

  isExactFor(record: CustomerRecord): boolean {
    return this.exactFor !== undefined && this.exactFor === viewOf(record);
  }
}

function sameQualifications(previous: CustomerRecord | undefined, next: CustomerRecord): boolean {
  return (
    previous?.qualifications !== undefined &&
    JSON.stringify(previous.qualifications) === JSON.stringify(next.qualifications)
  );
}

/** Logged; the customer stays indexed until a check of it leaves the view exact. */
function notProjected(
  run: CheckWrites,
  record: CustomerRecord,
  error: unknown,
  what: string,
): void {
  run.call.logger.warn(what, {
    customerId: record.customerId,
    error: describeError(error),
  });
}

/** What the by-status view shows of a record. */
function viewOf(record: CustomerRecord): string {
  return JSON.stringify([record.qualifications, record.lastSyncedAt]);
}
