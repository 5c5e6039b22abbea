import type { CustomerRecord } from './customer-record.js';
import { isPending, sameQualificationName } from './qualification.js';

/** The end of one vetting: Partner Center moved it from InReview to Approved or Denied. */
export interface VettingDecision {
  readonly customerId: string;
  readonly qualification: string;
  readonly outcome: 'Approved' | 'Denied';
  /** When the vetting was submitted (Partner Center's vettingCreateDate), ISO 8601. */
  readonly submittedAt: string;
  /** When the gateway saw the decision, ISO 8601. */
  readonly decidedAt: string;
  readonly decisionSeconds: number;
  readonly vettingReason?: string;
}

/** Where decisions are kept for the vetting summary. */
export interface DecisionLog {
  /** Idempotent for the same customer, qualification and submission. */
  record(decision: VettingDecision): Promise<void>;
  /** As `record`, held and sent with others' until `flush` (or a moment later). */
  hold(decision: VettingDecision): Promise<void>;
  /** Sends what `hold` holds; resolves once all of it has settled. */
  flush(): Promise<void>;
  /** Decisions seen at or after `since`, at most `maxRows` of them (newest days first). */
  listSince(
    since: Date,
    maxRows: number,
  ): Promise<{ decisions: VettingDecision[]; truncated: boolean }>;
}

const DECIDED = new Set(['Approved', 'Denied']);

/**
 * The vettings decided between two versions of a customer record: a qualification that was
 * pending before and is Approved or Denied now. Its submission time is Partner Center's
 * vettingCreateDate; without one (or with one that does not parse) the time is unknown and the
 * decision is left out.
 */
export function decisionsBetween(
  previous: CustomerRecord | undefined,
  next: CustomerRecord,
  decidedAt: Date,
): VettingDecision[] {
  const before = previous?.qualifications ?? [];
  const decisions: VettingDecision[] = [];
  for (const now of next.qualifications ?? []) {
    if (now.vettingStatus === undefined || !DECIDED.has(now.vettingStatus)) continue;
    const was = before.find((q) => sameQualificationName(q.qualification, now.qualification));
    if (was === undefined || !isPending(was)) continue;
    const submittedAt = Date.parse(now.vettingCreateDate ?? was.vettingCreateDate ?? '');
    if (Number.isNaN(submittedAt)) continue;
    decisions.push({
      customerId: next.customerId,
      qualification: now.qualification,
      outcome: now.vettingStatus as VettingDecision['outcome'],
      submittedAt: new Date(submittedAt).toISOString(),
      decidedAt: decidedAt.toISOString(),
      decisionSeconds: Math.max(0, (decidedAt.getTime() - submittedAt) / 1000),
      ...(now.vettingReason !== undefined && { vettingReason: now.vettingReason }),
    });
  }
  return decisions;
}
