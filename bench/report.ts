import type { RunReport } from './gateway-log.js';
import { mib, type PeakMemory } from './memory.js';
import type { BenchOptions } from './options.js';
import type { Check } from './verify.js';

export interface BenchResult {
  readonly options: BenchOptions;
  readonly seedSeconds: number;
  readonly observeSeconds: number;
  readonly refreshSeconds: number;
  readonly reports: readonly RunReport[];
  /** `/v1` requests the simulator logged during the refresh, throttled ones included. */
  readonly upstreamRequests: number;
  /** Requests the gateway sent to Table and Queue Storage during the refresh. */
  readonly tableRequests: number;
  readonly queueRequests: number;
  readonly memory: PeakMemory;
  /** The machine's 1-minute load average when the refresh ended (this process included). */
  readonly loadAverage: number;
}

/**
 * The simulator's token bucket starts full (R requests of burst), so in T seconds at most
 * R + R·T requests pass: N records need at least (N − R) / R seconds.
 */
function bucketBoundRecordsPerSecond(records: number, rate: number): number {
  const minimumSeconds = Math.max(0, (records - rate) / rate);
  return minimumSeconds === 0 ? Number.POSITIVE_INFINITY : records / minimumSeconds;
}

export function printResult(result: BenchResult): void {
  const { options, reports } = result;
  const sum = (field: 'throttled' | 'failed'): number =>
    reports.reduce((total, r) => total + r[field], 0);
  const perSecond = options.records / result.refreshSeconds;
  const bound = bucketBoundRecordsPerSecond(options.records, options.rate);
  const perRecord = (count: number): string => (count / options.records).toFixed(2);
  const rows: [string, string][] = [
    ['records', String(options.records)],
    ['refresh concurrency', String(options.concurrency)],
    ['runs', `${reports.length} (${reports.filter((r) => r.indexed > 0).length} with work)`],
    ['refresh seconds', result.refreshSeconds.toFixed(2)],
    ['records/s', perSecond.toFixed(1)],
    ['rate limit R', `${options.rate} requests/s (one GET per record)`],
    ['ratio records/s ÷ R', (perSecond / options.rate).toFixed(3)],
    [
      'bucket bound',
      Number.isFinite(bound)
        ? `${bound.toFixed(1)} records/s (the bucket starts full: N records need ≥ (N−R)/R s)`
        : 'none (N ≤ R fits in the initial burst)',
    ],
    ['429s (reports)', String(sum('throttled'))],
    ['upstream requests', `${result.upstreamRequests} (/v1, throttled included)`],
    ['failed', String(sum('failed'))],
    [
      'storage requests',
      `table ${result.tableRequests}, queue ${result.queueRequests} ` +
        `(${perRecord(result.tableRequests)} + ${perRecord(result.queueRequests)} per record)`,
    ],
    [
      'emulators',
      options.emulators === 'thread' ? 'worker thread' : 'main thread (beside the gateway)',
    ],
    ['peak RSS', `${mib(result.memory.peakRss)} (whole process: Azurite + simulator + gateway)`],
    ['peak heap used', `${mib(result.memory.peakHeapUsed)} (main thread)`],
    ['load average', `${result.loadAverage.toFixed(2)} (1 min, at the end of the refresh)`],
    [
      'set-up seconds',
      `${(result.seedSeconds + result.observeSeconds).toFixed(2)} (seed simulator ` +
        `${result.seedSeconds.toFixed(2)}, record as pending ${result.observeSeconds.toFixed(2)})`,
    ],
  ];
  printTable('Result', rows);
}

export function printChecks(checks: readonly Check[]): void {
  printTable(
    'Correctness',
    checks.map((c) => [`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`, c.detail]),
  );
}

export function printTable(title: string, rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}
