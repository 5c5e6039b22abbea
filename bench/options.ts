import { parseArgs } from 'node:util';
import type { EmulatorPlacement } from './emulators.js';

/** What one benchmark run does; every value comes from a flag, else the environment, else a default. */
export interface BenchOptions {
  /** Pending customers to seed and refresh. */
  readonly records: number;
  /** The simulator's rate limit over /v1, requests per second: the bound the refresh cannot pass. */
  readonly rate: number;
  /** VETTING_REFRESH_CONCURRENCY: customers the timer checks at once. */
  readonly concurrency: number;
  /** Whole-benchmark watchdog: the script stops with exit 1 after this, whatever it is doing. */
  readonly timeoutSeconds: number;
  /** Where Azurite and the simulator run; see emulators.ts. */
  readonly emulators: EmulatorPlacement;
}

type NumericOption = Exclude<keyof BenchOptions, 'emulators'>;

interface OptionSpec {
  readonly flag: NumericOption;
  readonly env: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

// The limits match what the gateway's settings accept (concurrency 1–64) or what the machine can
// hold; the simulator's bulk seeding takes up to 100,000 customers per call.
const SPECS: readonly OptionSpec[] = [
  { flag: 'records', env: 'BENCH_RECORDS', fallback: 5_000, min: 1, max: 100_000 },
  { flag: 'rate', env: 'BENCH_RATE', fallback: 500, min: 1, max: 100_000 },
  { flag: 'concurrency', env: 'BENCH_CONCURRENCY', fallback: 16, min: 1, max: 64 },
  { flag: 'timeoutSeconds', env: 'BENCH_TIMEOUT_SECONDS', fallback: 1_200, min: 10, max: 7_200 },
];

export const USAGE = `Usage: tsx bench/refresh.ts [--records N] [--rate R] [--concurrency C] [--timeout-seconds S] [--emulators thread|main]
  --records          pending customers to refresh (env BENCH_RECORDS, default 5000)
  --rate             simulator rate limit, requests/s (env BENCH_RATE, default 500)
  --concurrency      VETTING_REFRESH_CONCURRENCY (env BENCH_CONCURRENCY, default 16, at most 64)
  --timeout-seconds  stop with exit 1 after this long (env BENCH_TIMEOUT_SECONDS, default 1200)
  --emulators        Azurite and the simulator in a worker 'thread' (default) or the 'main' thread
                     beside the gateway (env BENCH_EMULATORS)`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses argv (without node and the script) and the environment; throws a UsageError. */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      emulators: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) return 'help';
  const flags: Readonly<Record<NumericOption, string | undefined>> = {
    records: values.records,
    rate: values.rate,
    concurrency: values.concurrency,
    timeoutSeconds: values['timeout-seconds'],
  };
  const problems: string[] = [];
  const numbers: Record<NumericOption, number> = {
    records: 0,
    rate: 0,
    concurrency: 0,
    timeoutSeconds: 0,
  };
  for (const spec of SPECS) {
    const raw = flags[spec.flag] ?? env[spec.env];
    const value = raw === undefined || raw.trim() === '' ? spec.fallback : Number(raw);
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      problems.push(`${spec.flag}: must be a whole number from ${spec.min} to ${spec.max}`);
    }
    numbers[spec.flag] = value;
  }
  const emulators = values.emulators ?? env.BENCH_EMULATORS ?? 'thread';
  if (emulators !== 'thread' && emulators !== 'main') {
    problems.push("emulators: must be 'thread' or 'main'");
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { ...numbers, emulators: emulators === 'main' ? 'main' : 'thread' };
}
