import { randomUUID } from 'node:crypto';
import type { LedgerDeps } from '../../../shared/application/customer-ledger.js';
import type { CustomerId } from '../../../shared/domain/customer-id.js';
import type { CallContext } from '../../../shared/domain/ports.js';
import type { LogProperties } from '../../../shared/logging/logger.js';
import { InMemoryCustomerStore } from '../fakes/customer-store.js';
import { RecordingPublisher } from '../fakes/event-publisher.js';
import { InMemoryWorkIndex } from '../fakes/work-index.js';

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly properties: LogProperties | undefined;
}

/** A call whose log lines a test can read. */
export function recordingCall(): { call: CallContext; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log =
    (level: LogLine['level']) =>
    (message: string, properties?: LogProperties): void => {
      lines.push({ level, message, properties });
    };
  return {
    call: {
      correlationId: randomUUID(),
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
    },
    lines,
  };
}

/** The ledger's ports in memory, with a clock the test moves. */
export function ledgerWorld(
  start = new Date('2026-12-01T10:00:00.000Z'),
  storeLatencyMs?: number | ((customerId: CustomerId) => number),
) {
  let now = start;
  const store = new InMemoryCustomerStore(storeLatencyMs);
  const workQueue = new InMemoryWorkIndex();
  const publisher = new RecordingPublisher();
  const deps: LedgerDeps = {
    store,
    workIndex: workQueue,
    publisher,
    clock: { now: () => now },
    newId: randomUUID,
  };
  return {
    deps,
    store,
    workQueue,
    publisher,
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

export const newCustomerId = (): CustomerId => randomUUID() as CustomerId;
