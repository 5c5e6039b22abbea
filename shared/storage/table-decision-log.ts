import type { TableClient } from '@azure/data-tables';
import type { DecisionLog, VettingDecision } from '../domain/vetting-decision.js';
import { HeldTransactions } from './held-transactions.js';

type DecisionEntity = {
  partitionKey: string;
  rowKey: string;
  customerId: string;
  qualification: string;
  outcome: string;
  submittedAt: string;
  decidedAt: string;
  decisionSeconds: number;
  vettingReason?: string;
};

/** Table Storage's page size limit. */
const PAGE_SIZE = 1_000;

/**
 * Vetting decisions by the day they were seen: partition = `yyyy-MM-dd`, row =
 * `<customer id>|<qualification>|<submission time>` (so recording the same decision again
 * replaces it). A window of days is one range over partition keys, whatever the number of
 * customers. The timer's decisions are held and written a day's partition to a transaction.
 */
export class TableDecisionLog implements DecisionLog {
  private readonly held: HeldTransactions;

  constructor(
    private readonly table: () => TableClient,
    private readonly ensureTables: () => Promise<void>,
  ) {
    this.held = new HeldTransactions(table, ensureTables);
  }

  async record(decision: VettingDecision): Promise<void> {
    await this.ensureTables();
    await this.table().upsertEntity<DecisionEntity>(entityOf(decision), 'Replace');
  }

  async hold(decision: VettingDecision): Promise<void> {
    const entity = entityOf(decision);
    await this.held.hold(entity.partitionKey, [['upsert', entity, 'Replace']]);
  }

  flush(): Promise<void> {
    return this.held.flush();
  }

  async listSince(
    since: Date,
    maxRows: number,
  ): Promise<{ decisions: VettingDecision[]; truncated: boolean }> {
    await this.ensureTables();
    const decisions: VettingDecision[] = [];
    const filter = `PartitionKey ge '${since.toISOString().slice(0, 10)}'`;
    const pages = this.table()
      .listEntities<DecisionEntity>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(PAGE_SIZE, maxRows) });
    for await (const page of pages) {
      for (const e of page) {
        if (decisions.length >= maxRows) return { decisions, truncated: true };
        if (e.decidedAt < since.toISOString()) continue;
        decisions.push({
          customerId: e.customerId,
          qualification: e.qualification,
          outcome: e.outcome === 'Denied' ? 'Denied' : 'Approved',
          submittedAt: e.submittedAt,
          decidedAt: e.decidedAt,
          decisionSeconds: e.decisionSeconds,
          ...(e.vettingReason !== undefined && { vettingReason: e.vettingReason }),
        });
      }
    }
    return { decisions, truncated: false };
  }
}

function entityOf(decision: VettingDecision): DecisionEntity {
  return {
    partitionKey: decision.decidedAt.slice(0, 10),
    rowKey: `${decision.customerId}|${decision.qualification}|${decision.submittedAt}`,
    customerId: decision.customerId,
    qualification: decision.qualification,
    outcome: decision.outcome,
    submittedAt: decision.submittedAt,
    decidedAt: decision.decidedAt,
    decisionSeconds: decision.decisionSeconds,
    ...(decision.vettingReason !== undefined && { vettingReason: decision.vettingReason }),
  };
}
