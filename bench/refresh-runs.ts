import type { LocalGateway } from '../dev/local-gateway.js';
import { REFRESH_PENDING_VETTING } from '../functions/register-functions.js';
import { every } from './concurrency.js';
import type { GatewayLog, RunReport } from './gateway-log.js';

/** Far more runs than any sane refresh needs; reaching it means the index never empties. */
const MAX_RUNS = 50;
const PROGRESS_EVERY_MS = 3_000;

export interface RefreshOutcome {
  readonly reports: readonly RunReport[];
  /** Wall time from the first run's start to the last run's end. */
  readonly seconds: number;
  /** Whether a run found the work index empty. */
  readonly drained: boolean;
}

/**
 * Runs the refresh timer, one run after another as the schedule would (but without waiting for
 * it), until a run finds nothing left in the work index.
 */
export async function refreshUntilEmpty(
  gateway: LocalGateway,
  log: GatewayLog,
  records: number,
): Promise<RefreshOutcome> {
  const reports: RunReport[] = [];
  const started = performance.now();
  const decidedBefore = log.statusChanges;
  const stop = every(PROGRESS_EVERY_MS, () => {
    const seconds = (performance.now() - started) / 1000;
    const decided = log.statusChanges - decidedBefore;
    console.log(
      `  refresh: ${seconds.toFixed(1)} s, run ${reports.length + 1}, ` +
        `${decided}/${records} decided (${(decided / seconds).toFixed(0)} records/s)`,
    );
  });
  try {
    while (reports.length < MAX_RUNS) {
      const report = await runOnce(gateway, log);
      reports.push(report);
      console.log(`  run ${reports.length}: ${describeReport(report)}`);
      if (report.indexed === 0) break;
    }
  } finally {
    stop();
  }
  return {
    reports,
    seconds: (performance.now() - started) / 1000,
    drained: reports.at(-1)?.indexed === 0,
  };
}

export async function runOnce(gateway: LocalGateway, log: GatewayLog): Promise<RunReport> {
  const before = log.reports.length;
  await gateway.runTimer(REFRESH_PENDING_VETTING);
  const report = log.reports[before];
  if (report === undefined) throw new Error('The refresh run logged no report (did it fail?)');
  return report;
}

function describeReport(r: RunReport): string {
  return (
    `indexed ${r.indexed}, checked ${r.checked}, changed ${r.changed}, cleared ${r.cleared}, ` +
    `throttled ${r.throttled}, failed ${r.failed}, deferred ${r.deferred}, ` +
    `${(r.durationMs / 1000).toFixed(1)} s, stopped by ${r.stoppedBy}`
  );
}
