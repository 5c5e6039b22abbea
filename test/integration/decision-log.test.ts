import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VettingDecision } from '../../shared/domain/vetting-decision.js';
import { TableDecisionLog } from '../../shared/storage/table-decision-log.js';
import { countTransactions, freshTable } from '../support/azurite-table.js';

// The decision log against Azurite: the timer's decisions held and written a day to a transaction.

async function decisionLog() {
  const table = await freshTable('Decisions');
  const transactions = countTransactions(table);
  const log = new TableDecisionLog(
    () => table,
    () => Promise.resolve(),
  );
  return { log, transactions };
}

const decision = (customerId: string, decidedAt: string): VettingDecision => ({
  customerId,
  qualification: 'Education',
  outcome: 'Approved',
  submittedAt: '2026-11-30T09:00:00.000Z',
  decidedAt,
  decisionSeconds: 3_600,
});

describe('the decision log', () => {
  it('holds decisions until flushed, and writes those of one day in one transaction', async () => {
    const { log, transactions } = await decisionLog();
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const held = Promise.all(ids.map((id) => log.hold(decision(id, '2026-12-01T10:00:00.000Z'))));
    expect((await log.listSince(new Date('2026-12-01T00:00:00Z'), 100)).decisions).toEqual([]);

    await log.flush();
    await held;

    expect(transactions()).toBe(1);
    const { decisions } = await log.listSince(new Date('2026-12-01T00:00:00Z'), 100);
    expect(decisions.map((d) => d.customerId).sort()).toEqual([...ids].sort());
  });

  it('notes the same decision twice as one row, even held in one batch', async () => {
    const { log } = await decisionLog();
    const id = randomUUID();
    const held = Promise.all([
      log.hold(decision(id, '2026-12-01T10:00:00.000Z')),
      log.hold(decision(id, '2026-12-01T10:00:00.000Z')),
    ]);
    await log.flush();
    await held;
    const { decisions } = await log.listSince(new Date('2026-12-01T00:00:00Z'), 100);
    expect(decisions).toHaveLength(1);
  });
});
