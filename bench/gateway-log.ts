/** What one run of the refresh timer reported (see shared/application/refresh-pending-vetting.ts). */
export interface RunReport {
  readonly indexed: number;
  readonly checked: number;
  readonly changed: number;
  readonly cleared: number;
  readonly throttled: number;
  readonly failed: number;
  readonly deferred: number;
  readonly durationMs: number;
  readonly stoppedBy: string;
}

const RUN_FINISHED = 'Refresh run finished ';
const STATUS_CHANGED = 'Vetting status changed ';
/** Problem lines kept verbatim for the summary; the rest are only counted. */
const SAMPLES_KEPT = 5;

/**
 * The gateway's log, read as it is written: counts instead of lines, so that 10,000 records'
 * worth of logging does not sit in the heap the benchmark measures.
 */
export class GatewayLog {
  readonly reports: RunReport[] = [];
  statusChanges = 0;
  problems = 0;
  readonly problemSamples: string[] = [];

  write(line: string): void {
    if (line.includes(STATUS_CHANGED)) {
      this.statusChanges++;
    } else if (line.includes(RUN_FINISHED)) {
      this.reports.push(parseReport(line));
    } else if (line.startsWith('[warning]') || line.startsWith('[error]')) {
      this.problems++;
      if (this.problemSamples.length < SAMPLES_KEPT) this.problemSamples.push(line);
    }
  }
}

/** `[information] refresh-pending-vetting: Refresh run finished {json}` → the report. */
function parseReport(line: string): RunReport {
  const json = line.slice(line.indexOf(RUN_FINISHED) + RUN_FINISHED.length);
  const value: unknown = JSON.parse(json);
  if (!isRunReport(value)) throw new Error(`Unexpected refresh report: ${json}`);
  return value;
}

function isRunReport(value: unknown): value is RunReport {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  const numbers = [
    'indexed',
    'checked',
    'changed',
    'cleared',
    'throttled',
    'failed',
    'deferred',
    'durationMs',
  ];
  return (
    numbers.every((name) => typeof fields[name] === 'number') &&
    typeof fields.stoppedBy === 'string'
  );
}
