/**
 * Soak test: two gateway instances sharing Azurite and the Partner Center simulator, their timers
 * on, under mixed traffic for a while with about 5 % of Partner Center calls faulty (500, 429,
 * connection resets, slow answers). At the end it checks from outside that no request was
 * answered 500, that every 201 is in Partner Center and in the gateway's history exactly once,
 * and that memory stayed flat. Exit 0 when all hold, 1 otherwise, 2 for bad flags.
 *   npm run soak -- --minutes 10 --rps 20 --fault-percent 5
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startLocalGateway, type LocalGateway } from '../dev/local-gateway.js';
import { SimulatorControl } from '../dev/partner-center-simulator/control-client.js';
import { sleep } from './concurrency.js';
import { HOST, startEmulators, type Emulators } from './emulators.js';
import { mib } from './memory.js';

const OPTIONS = {
  minutes: { fallback: 10, min: 0.1, max: 240 },
  rps: { fallback: 20, min: 1, max: 500 },
  'fault-percent': { fallback: 5, min: 0, max: 50 },
} as const;
type Option = keyof typeof OPTIONS;

const USAGE = `Usage: npm run soak -- [--minutes M] [--rps R] [--fault-percent P]
  --minutes        how long the traffic runs (default 10)
  --rps            requests per second, spread over both instances (default 20)
  --fault-percent  share of Partner Center calls answered with a fault (default 5)`;

/** How long the timers and the simulator get, after the traffic, to settle every submission. */
const SETTLE_SECONDS = 120;
const MEMORY_SAMPLE_MS = 5_000;
const FAULTS = [
  { status: 500 },
  { status: 429, retryAfterSeconds: 1 },
  { reset: true as const },
  { delayMs: 1_500 },
] as const;

function parseOptions(argv: string[]): Record<Option, number> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.keys(OPTIONS).map((name) => [name, { type: 'string' as const }]),
    ),
  });
  const parsed = {} as Record<Option, number>;
  for (const [name, spec] of Object.entries(OPTIONS) as [Option, (typeof OPTIONS)[Option]][]) {
    const raw = values[name];
    const value = raw === undefined ? spec.fallback : Number(raw);
    if (!Number.isFinite(value) || value < spec.min || value > spec.max) {
      throw new Error(`--${name}: a number from ${String(spec.min)} to ${String(spec.max)}`);
    }
    parsed[name] = value;
  }
  return parsed;
}

interface Tally {
  readonly statuses: Map<number, number>;
  /** Customers whose submission was answered 201: each must be in Partner Center and the history. */
  readonly created: Set<string>;
  errors: number;
}

async function startInstances(emulators: Emulators, prefix: string): Promise<LocalGateway[]> {
  const settings = {
    PARTNER_CENTER_BASE_URL: emulators.simulatorUrl,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    STORAGE_CONNECTION_STRING: emulators.connectionString,
    STORAGE_TABLE_PREFIX: prefix,
    PARTNER_CENTER_TIMEOUT_MS: '10000',
    VETTING_REFRESH_SCHEDULE: '*/5 * * * * *',
    VETTING_REFRESH_BUDGET_SECONDS: '30',
  };
  const instances: LocalGateway[] = [];
  for (let i = 0; i < 2; i++) {
    instances.push(
      await startLocalGateway({
        settings,
        host: HOST,
        port: 0,
        runTimers: true,
        log: () => undefined,
      }),
    );
  }
  return instances;
}

/** One request of the mix, to one of the instances. */
async function oneRequest(
  apis: readonly string[],
  simulator: SimulatorControl,
  known: readonly string[],
  tally: Tally,
): Promise<void> {
  const api = apis[Math.floor(Math.random() * apis.length)] ?? '';
  const customer = known[Math.floor(Math.random() * known.length)] ?? '';
  const roll = Math.random();
  let response: Response;
  if (roll < 0.2) {
    const customerId = await simulator.createCustomer();
    const key = Math.random() < 0.9 ? randomUUID() : undefined;
    const submit = () =>
      fetch(`${api}/customers/${customerId}/qualifications`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key !== undefined && { 'idempotency-key': key }),
        },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      });
    response = await submit();
    // A client that did not get its answer retries with the same key.
    if (key !== undefined && response.status >= 500) {
      await response.arrayBuffer();
      response = await submit();
    }
    if (response.status === 201) tally.created.add(customerId);
  } else if (roll < 0.6) {
    const refresh = Math.random() < 0.1 ? '?refresh=true' : '';
    response = await fetch(`${api}/customers/${customer}/qualifications${refresh}`);
  } else if (roll < 0.75) {
    response = await fetch(`${api}/customers/${customer}/qualifications/history`);
  } else if (roll < 0.9) {
    response = await fetch(`${api}/qualifications?vettingStatus=InReview&pageSize=50`);
  } else if (roll < 0.95) {
    response = await fetch(`${api}/validation-codes`);
  } else {
    response = await fetch(`${api}/health`);
  }
  await response.arrayBuffer();
  tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
}

async function traffic(
  apis: readonly string[],
  simulator: SimulatorControl,
  known: readonly string[],
  options: Record<Option, number>,
  tally: Tally,
): Promise<void> {
  const end = Date.now() + options.minutes * 60_000;
  const inFlight = new Set<Promise<void>>();
  const faultEveryMs =
    options['fault-percent'] > 0 ? 100_000 / (options.rps * options['fault-percent']) : Infinity;
  let nextFault = Date.now();
  let kind = 0;
  for (let sent = 0; Date.now() < end; sent++) {
    if (Date.now() >= nextFault) {
      nextFault += faultEveryMs;
      await simulator.fault({ ...FAULTS[kind++ % FAULTS.length], times: 1 });
    }
    const request = oneRequest(apis, simulator, known, tally)
      .catch(() => {
        tally.errors++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (sent % Math.max(1, Math.round(options.rps * 10)) === 0) {
      console.log(
        `  ${String(Math.round((end - Date.now()) / 1000))} s left, ${String(sent)} requests, ` +
          `RSS ${mib(process.memoryUsage().rss)}`,
      );
    }
    await sleep(1000 / options.rps);
  }
  await Promise.all(inFlight);
}

/** Every 201's customer: in Partner Center, and submitted once in the gateway's history. */
async function checkSubmissions(
  api: string,
  simulator: SimulatorControl,
  created: ReadonlySet<string>,
): Promise<string[]> {
  const inPartnerCenter = new Set(
    (await simulator.customers())
      .filter((c) => c.qualifications.some((q) => q.qualification === 'Education'))
      .map((c) => c.customerId),
  );
  const problems: string[] = [];
  const deadline = Date.now() + SETTLE_SECONDS * 1000;
  for (const customerId of created) {
    if (!inPartnerCenter.has(customerId))
      problems.push(`${customerId}: 201 but not in Partner Center`);
    for (;;) {
      const history = (await (
        await fetch(`${api}/customers/${customerId}/qualifications/history`)
      ).json()) as { events: { from: string | null; to: string }[] };
      const submitted = history.events.filter((e) => e.to === 'InReview').length;
      if (submitted === 1) break;
      if (submitted > 1 || Date.now() > deadline) {
        problems.push(`${customerId}: ${String(submitted)} submissions in the history`);
        break;
      }
      await sleep(2_000);
    }
  }
  return problems;
}

/** Resident memory over the run: the last third against the second (after warm-up). */
function memoryGrowth(samples: readonly number[]): { middle: number; last: number; ratio: number } {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const middle = median(samples.slice(third, 2 * third));
  const last = median(samples.slice(-third));
  return { middle, last, ratio: middle === 0 ? 1 : last / middle };
}

async function main(): Promise<number> {
  let options: Record<Option, number>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  console.log(
    `Soak: ${String(options.minutes)} min, ${String(options.rps)} requests/s over two instances, ` +
      `${String(options['fault-percent'])} % upstream faults; ${String(availableParallelism())} cores, ` +
      `load average ${loadavg()[0]?.toFixed(2) ?? '?'}`,
  );
  const emulators = await startEmulators('thread');
  const prefix = `soak${randomBytes(4).toString('hex')}`;
  const instances = await startInstances(emulators, prefix);
  const simulator = new SimulatorControl(emulators.simulatorUrl);
  // RSS holds the whole process, Azurite's growing data included; the main thread's heap holds
  // the gateway instances alone (the emulators run in a worker thread with a heap of its own).
  const samples: number[] = [];
  const heap: number[] = [];
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    samples.push(usage.rss);
    heap.push(usage.heapUsed);
  }, MEMORY_SAMPLE_MS);
  try {
    await simulator.settings({ vettingDelaySeconds: 30 });
    const known = await simulator.createCustomers(
      [{ qualification: 'Education', vettingStatus: 'InReview' }],
      200,
    );
    const tally: Tally = { statuses: new Map(), created: new Set(), errors: 0 };
    const apis = instances.map((instance) => `${instance.url}/api/v1`);
    await traffic(apis, simulator, known, options, tally);
    await simulator.clearFaults();
    console.log(
      `Traffic done; checking ${String(tally.created.size)} submissions (timers settling)…`,
    );
    const problems = await checkSubmissions(apis[0] ?? '', simulator, tally.created);
    clearInterval(sampler);
    const memory = memoryGrowth(samples);
    const gatewayHeap = memoryGrowth(heap);
    const statuses = [...tally.statuses].sort(([a], [b]) => a - b);
    console.log(
      `Answers: ${statuses.map(([status, count]) => `${String(status)}×${String(count)}`).join(', ')}`,
    );
    console.log(
      `Memory: the gateways' heap (main thread) median ${mib(gatewayHeap.middle)} in the middle third, ` +
        `${mib(gatewayHeap.last)} in the last (×${gatewayHeap.ratio.toFixed(2)}); whole-process RSS ` +
        `${mib(memory.middle)} and ${mib(memory.last)} (×${memory.ratio.toFixed(2)}, Azurite's data included)`,
    );
    const checks: [string, boolean][] = [
      ['no 500 answered', (tally.statuses.get(500) ?? 0) === 0],
      ['no request failed without an answer', tally.errors === 0],
      ['every 201 in Partner Center and once in the history', problems.length === 0],
      [
        "the gateways' heap flat (last third within 1.25× of the middle)",
        gatewayHeap.ratio <= 1.25,
      ],
      ['whole-process RSS flat (last third within 1.25× of the middle)', memory.ratio <= 1.25],
    ];
    for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
    for (const [name, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
    return checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    clearInterval(sampler);
    for (const instance of instances) await instance.close();
    await emulators.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
