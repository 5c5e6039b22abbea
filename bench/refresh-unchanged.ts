import type { BenchEnvironment } from './environment.js';
import type { GatewayLog, RunReport } from './gateway-log.js';
import { runOnce } from './refresh-runs.js';
import { endpointOf, RequestCounter } from './request-counter.js';

/** One timer run over pending customers whose vetting has not moved, with its storage requests. */
export interface UnchangedRun {
  readonly report: RunReport;
  readonly seconds: number;
  readonly tableRequests: number;
  readonly queueRequests: number;
}

/**
 * The common case (vetting takes days: most runs see no change), measured before Partner Center
 * decides anything: the first run checks every customer from its mark, the second as every
 * later run of a still-pending customer does. Each must check every record and change none.
 */
export async function refreshUnchanged(
  env: BenchEnvironment,
  log: GatewayLog,
): Promise<{ readonly first: UnchangedRun; readonly later: UnchangedRun }> {
  const first = await countedRun(env, log);
  const later = await countedRun(env, log);
  return { first, later };
}

async function countedRun(env: BenchEnvironment, log: GatewayLog): Promise<UnchangedRun> {
  const counter = new RequestCounter();
  const started = performance.now();
  counter.start();
  try {
    const report = await runOnce(env.gateway, log);
    const { connectionString } = env.emulators;
    return {
      report,
      seconds: (performance.now() - started) / 1000,
      tableRequests: counter.countFor(endpointOf(connectionString, 'TableEndpoint')),
      queueRequests: counter.countFor(endpointOf(connectionString, 'QueueEndpoint')),
    };
  } finally {
    counter.stop();
  }
}

/** The unchanged runs as a table, beside R; and whether each reached every record, changing none. */
export function describeUnchanged(
  runs: { readonly first: UnchangedRun; readonly later: UnchangedRun },
  records: number,
  rate: number,
): { rows: [string, string][]; ok: boolean; later: { ratio: number; throttledShare: number } } {
  const row = (name: string, run: UnchangedRun): [string, string] => {
    const perSecond = run.report.checked / run.seconds;
    const per = (count: number): string => (count / Math.max(1, run.report.checked)).toFixed(2);
    return [
      name,
      `${run.report.checked} checked, ${run.report.changed} changed in ${run.seconds.toFixed(2)} s: ` +
        `${perSecond.toFixed(1)} records/s (÷ R ${(perSecond / rate).toFixed(3)}), ` +
        `${run.report.throttled} throttled; table ${per(run.tableRequests)} + queue ` +
        `${per(run.queueRequests)} requests per record`,
    ];
  };
  // A throttled customer is deferred to the next run, never lost.
  const ok = [runs.first, runs.later].every(
    (run) =>
      run.report.checked + run.report.deferred === records &&
      run.report.changed === 0 &&
      run.report.failed === 0,
  );
  const { report, seconds } = runs.later;
  return {
    rows: [row('first check (from the mark)', runs.first), row('later checks', runs.later)],
    ok,
    later: {
      ratio: report.checked / seconds / rate,
      throttledShare: report.throttled / Math.max(1, report.checked + report.throttled),
    },
  };
}
