import type { VettingDecision } from './vetting-decision.js';

/** One row of the by-status view, as the summary reads it. */
export interface StatusRow {
  readonly qualification: string;
  readonly vettingStatus: string;
  readonly vettingCreateDate?: string;
}

export interface StatusCount {
  readonly qualification: string;
  readonly vettingStatus: string;
  readonly count: number;
}

export interface PendingAge {
  readonly qualification: string;
  readonly count: number;
  /** Ages in seconds of the pending vettings with a known submission date; null when none. */
  readonly oldestSeconds: number | null;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

export interface DecisionTime {
  readonly qualification: string;
  readonly outcome: string;
  readonly count: number;
  readonly p50Seconds: number;
  readonly p90Seconds: number;
}

export interface DenialReason {
  readonly reason: string;
  readonly count: number;
}

/**
 * The nearest-rank percentile (`p` in 0..100) of values sorted ascending: the smallest value
 * that at least p % of the values are less than or equal to. Undefined for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** How many qualifications are in each status, by qualification and status. */
export function countByStatus(rows: readonly StatusRow[]): StatusCount[] {
  const counts = new Map<string, StatusCount>();
  for (const row of rows) {
    const key = `${row.qualification}\u0000${row.vettingStatus}`;
    const current = counts.get(key);
    counts.set(key, {
      qualification: row.qualification,
      vettingStatus: row.vettingStatus,
      count: (current?.count ?? 0) + 1,
    });
  }
  return [...counts.values()].sort(
    (a, b) => byName(a.qualification, b.qualification) || byName(a.vettingStatus, b.vettingStatus),
  );
}

/** The age of the pending (InReview) vettings at `now`, by qualification. */
export function pendingAges(rows: readonly StatusRow[], now: Date): PendingAge[] {
  const groups = new Map<string, { count: number; ages: number[] }>();
  for (const row of rows) {
    if (row.vettingStatus !== 'InReview') continue;
    const group = groups.get(row.qualification) ?? { count: 0, ages: [] };
    group.count++;
    const submittedAt = Date.parse(row.vettingCreateDate ?? '');
    if (!Number.isNaN(submittedAt)) {
      group.ages.push(Math.max(0, Math.round((now.getTime() - submittedAt) / 1000)));
    }
    groups.set(row.qualification, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([qualification, { count, ages }]) => {
      const sorted = ages.sort((a, b) => a - b);
      return {
        qualification,
        count,
        oldestSeconds: sorted.at(-1) ?? null,
        p50Seconds: percentile(sorted, 50) ?? null,
        p90Seconds: percentile(sorted, 90) ?? null,
      };
    });
}

/** Decision time percentiles by qualification and outcome. */
export function decisionTimes(decisions: readonly VettingDecision[]): DecisionTime[] {
  const groups = new Map<string, { qualification: string; outcome: string; seconds: number[] }>();
  for (const d of decisions) {
    const key = `${d.qualification}\u0000${d.outcome}`;
    const group = groups.get(key) ?? {
      qualification: d.qualification,
      outcome: d.outcome,
      seconds: [],
    };
    group.seconds.push(d.decisionSeconds);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => byName(a.qualification, b.qualification) || byName(a.outcome, b.outcome))
    .map(({ qualification, outcome, seconds }) => {
      const sorted = seconds.sort((a, b) => a - b);
      return {
        qualification,
        outcome,
        count: sorted.length,
        p50Seconds: Math.round(percentile(sorted, 50) ?? 0),
        p90Seconds: Math.round(percentile(sorted, 90) ?? 0),
      };
    });
}

/** The reasons of the denials, most frequent first (then by reason); none given = "(none)". */
export function denialReasons(decisions: readonly VettingDecision[]): DenialReason[] {
  const counts = new Map<string, number>();
  for (const d of decisions) {
    if (d.outcome !== 'Denied') continue;
    const reason = d.vettingReason?.trim() || '(none)';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || byName(a.reason, b.reason));
}
