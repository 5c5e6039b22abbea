import type { Clock } from '../domain/ports.js';
import type { DecisionLog } from '../domain/vetting-decision.js';
import {
  countByStatus,
  decisionTimes,
  denialReasons,
  pendingAges,
  type DecisionTime,
  type DenialReason,
  type PendingAge,
  type StatusCount,
  type StatusRow,
} from '../domain/vetting-summary.js';

/** Rows read at most per part of the summary: what bounds its cost. */
export const SUMMARY_MAX_ROWS = 50_000;

export interface VettingSummaryDeps {
  readonly statusView: {
    scan(maxRows: number): Promise<{ rows: StatusRow[]; truncated: boolean }>;
  };
  readonly decisions: DecisionLog;
  readonly clock: Clock;
}

export interface VettingSummary {
  readonly generatedAt: string;
  readonly counts: StatusCount[];
  readonly pending: PendingAge[];
  readonly decisions: {
    readonly days: number;
    readonly since: string;
    readonly times: DecisionTime[];
    readonly denialReasons: DenialReason[];
  };
  /** True when a part hit SUMMARY_MAX_ROWS: its figures cover the rows read. */
  readonly truncated: boolean;
}

/**
 * Counts, pending ages, decision times and denial reasons, from the by-status view and the
 * decision log: two bounded reads, no customer record and no Partner Center call.
 */
export async function summarizeVetting(
  deps: VettingSummaryDeps,
  days: number,
): Promise<VettingSummary> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - days * 24 * 3600 * 1000);
  const [view, decided] = await Promise.all([
    deps.statusView.scan(SUMMARY_MAX_ROWS),
    deps.decisions.listSince(since, SUMMARY_MAX_ROWS),
  ]);
  return {
    generatedAt: now.toISOString(),
    counts: countByStatus(view.rows),
    pending: pendingAges(view.rows, now),
    decisions: {
      days,
      since: since.toISOString(),
      times: decisionTimes(decided.decisions),
      denialReasons: denialReasons(decided.decisions),
    },
    truncated: view.truncated || decided.truncated,
  };
}
