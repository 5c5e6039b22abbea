/**
 * Read-path benchmark: the gateway as `npm start` runs it (its own process), Azurite and the
 * Partner Center simulator in a worker thread of this one, measured side by side:
 *   P1  live `GET …?refresh=true` p50 ÷ the same GET straight to the simulator (each answer
 *       delayed by --delay-ms), interleaved one by one;
 *   P2c cache-hit `GET` p50 ÷ a raw `getEntity` point read of the same Azurite from this process,
 *       interleaved one by one;
 *   P2b cache-hit requests/s with --connections connections ÷ raw point reads/s with as many in
 *       flight, in alternating slices of --seconds in all; with the gateway's CPU per hit.
 * P1 follows --warmup undelayed pairs of both reads.
 * Checks from outside: every live answer is the simulator's, every hit says `source: cache`,
 * no request failed. Run: `npm run bench -- read [--samples 40] [--delay-ms 100] [--connections 10]
 * [--seconds 10] [--warmup 1000] [--profile-dir <dir>] [--memory-ms <n>] [--sync-write-s <n>]`
 * (--profile-dir: the gateway process's CPU profile; --memory-ms: its CACHE_MEMORY_MAX_AGE_MS, 0
 * for every hit to read storage; --sync-write-s: its CACHE_SYNC_WRITE_INTERVAL_SECONDS, 0 for
 * every live read to write).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createGatewayTables } from '../shared/storage/tables.js';
import { SimulatorControl } from '../dev/partner-center-simulator/control-client.js';
import { startEmulators } from './emulators.js';
import { startGatewayProcess } from './gateway-process.js';
import { closedLoop, timedGet } from './http-load.js';
import { interleaved, median, ratioLine } from './samples.js';

interface ReadOptions {
  readonly samples: number;
  readonly delayMs: number;
  readonly connections: number;
  readonly seconds: number;
  /** Where the gateway process writes a CPU profile (node --cpu-prof) when it stops. */
  readonly profileDir: string | undefined;
  /** The gateway's CACHE_MEMORY_MAX_AGE_MS (0: every cache hit reads storage). */
  readonly memoryMs: number | undefined;
  /** Undelayed pairs of live and direct reads before P1 is measured. */
  readonly warmup: number;
  /** The gateway's CACHE_SYNC_WRITE_INTERVAL_SECONDS (0: every live read writes). */
  readonly syncWriteSeconds: number | undefined;
}

function parse(argv: readonly string[]): ReadOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      samples: { type: 'string', default: '40' },
      'delay-ms': { type: 'string', default: '100' },
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '10' },
      'profile-dir': { type: 'string' },
      'memory-ms': { type: 'string' },
      warmup: { type: 'string', default: '1000' },
      'sync-write-s': { type: 'string' },
    },
  });
  const whole = (name: string, raw: string, min: number, max: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`--${name}: a whole number from ${min} to ${max}`);
    return value;
  };
  return {
    samples: whole('samples', values.samples, 2, 10_000),
    delayMs: whole('delay-ms', values['delay-ms'], 0, 10_000),
    connections: whole('connections', values.connections, 1, 256),
    seconds: whole('seconds', values.seconds, 2, 600),
    profileDir: values['profile-dir'],
    memoryMs:
      values['memory-ms'] === undefined
        ? undefined
        : whole('memory-ms', values['memory-ms'], 0, 60_000),
    warmup: whole('warmup', values.warmup, 0, 100_000),
    syncWriteSeconds:
      values['sync-write-s'] === undefined
        ? undefined
        : whole('sync-write-s', values['sync-write-s'], 0, 3_600),
  };
}

export async function readPath(argv: readonly string[]): Promise<number> {
  let options: ReadOptions;
  try {
    options = parse(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  console.log(
    `Read path: ${options.samples} interleaved samples, simulator delay ${options.delayMs} ms, ` +
      `${options.connections} connections for ${options.seconds} s; ${availableParallelism()} cores, ` +
      `load average ${loadavg()[0]?.toFixed(2) ?? '?'} (other work on the machine skews the numbers)` +
      (options.memoryMs === undefined ? '' : `; CACHE_MEMORY_MAX_AGE_MS=${options.memoryMs}`) +
      (options.syncWriteSeconds === undefined
        ? ''
        : `; CACHE_SYNC_WRITE_INTERVAL_SECONDS=${options.syncWriteSeconds}`),
  );
  const emulators = await startEmulators('thread');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  let gateway;
  try {
    gateway = await startGatewayProcess(
      {
        PARTNER_CENTER_BASE_URL: emulators.simulatorUrl,
        PARTNER_CENTER_CREDENTIAL: 'simulator',
        STORAGE_CONNECTION_STRING: emulators.connectionString,
        STORAGE_TABLE_PREFIX: prefix,
        ...(options.memoryMs !== undefined && {
          CACHE_MEMORY_MAX_AGE_MS: String(options.memoryMs),
        }),
        ...(options.syncWriteSeconds !== undefined && {
          CACHE_SYNC_WRITE_INTERVAL_SECONDS: String(options.syncWriteSeconds),
        }),
      },
      options.profileDir === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`],
    );
  } catch (error) {
    await emulators.close();
    throw error;
  }
  try {
    const simulator = new SimulatorControl(emulators.simulatorUrl);
    const customerId = await simulator.createCustomer([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    const api = `${gateway.origin}/api/v1/customers/${customerId}/qualifications`;
    const upstream = `${emulators.simulatorUrl}/v1/customers/${customerId}/qualifications`;
    const checks: { name: string; ok: boolean }[] = [];
    const expected = JSON.stringify(['Education']);

    // Both paths warmed (undelayed) as a serving instance would have them: P1 compares steady
    // states, not the first requests of a fresh process (the cold start is P4's).
    for (let i = 0; i < options.warmup; i++) {
      await timedGet(`${api}?refresh=true`);
      await timedGet(upstream, { authorization: 'Bearer bench' });
    }
    // P1: every simulator answer delayed, the gateway's and the direct one alike.
    await simulator.fault({
      method: 'GET',
      path: '/v1/customers/*',
      delayMs: options.delayMs,
      times: 1_000_000,
    });
    await timedGet(`${api}?refresh=true`); // the record exists from here on
    let liveOk = true;
    const p1 = await interleaved(
      options.samples,
      async () => {
        const answer = await timedGet(`${api}?refresh=true`);
        const body = answer.json as {
          source?: string;
          qualifications?: { qualification: string }[];
        };
        liveOk &&=
          answer.status === 200 &&
          body.source === 'partner-center' &&
          JSON.stringify(body.qualifications?.map((q) => q.qualification)) === expected;
        return answer.ms;
      },
      async () => (await timedGet(upstream, { authorization: 'Bearer bench' })).ms,
    );
    await simulator.clearFaults();
    const p1Ratio = median(p1.a) / median(p1.b);
    console.log(
      `  P1 live read p50 ${median(p1.a).toFixed(1)} ms, straight to the simulator ${median(p1.b).toFixed(1)} ms`,
    );
    console.log(ratioLine('P1', p1Ratio, '≤ 1.05', p1Ratio <= 1.05));
    checks.push({
      name: "every live read answered 200 with the simulator's qualifications",
      ok: liveOk,
    });

    // P2c: a young cached copy (just refreshed) against a raw point read of its row.
    // A client made as the gateway makes its own (same options), in this process.
    const table = createGatewayTables(
      { kind: 'connection-string', connectionString: emulators.connectionString },
      prefix,
    ).customers();
    await table.getEntity(customerId, 'record');
    let hitOk = true;
    const hit = async (): Promise<number> => {
      const answer = await timedGet(api);
      hitOk &&= answer.status === 200 && (answer.json as { source?: string }).source === 'cache';
      return answer.ms;
    };
    const pointRead = async (): Promise<number> => {
      const started = performance.now();
      await table.getEntity(customerId, 'record');
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await Promise.all([hit(), pointRead()]); // warm both paths
    const p2c = await interleaved(options.samples * 5, hit, pointRead);
    const p2cRatio = median(p2c.a) / median(p2c.b);
    console.log(
      `  P2c cache hit p50 ${median(p2c.a).toFixed(2)} ms, raw point read ${median(p2c.b).toFixed(2)} ms`,
    );
    console.log(ratioLine('P2c', p2cRatio, '≤ 1.5', p2cRatio <= 1.5));
    checks.push({ name: 'every cache hit answered 200 from the cache', ok: hitOk });

    // P2b: throughput, alternating slices so that both see the same machine.
    const slice = (options.seconds * 1000) / 2;
    let hits = 0;
    let reads = 0;
    let failures = 0;
    let gatewayCpuMs = 0;
    for (const order of [0, 1]) {
      for (const which of order === 0 ? ['gateway', 'raw'] : ['raw', 'gateway']) {
        if (which === 'gateway') {
          const cpuBefore = gateway.cpuMs() ?? 0;
          const result = await closedLoop(options.connections, slice / 2, async () => {
            const answer = await timedGet(api);
            if (answer.status !== 200) failures++;
          });
          gatewayCpuMs += (gateway.cpuMs() ?? 0) - cpuBefore;
          hits += result.completed;
        } else {
          const result = await closedLoop(options.connections, slice / 2, async () => {
            await table.getEntity(customerId, 'record');
          });
          reads += result.completed;
        }
      }
    }
    const p2bRatio = hits / reads;
    const perSecond = (n: number): string => ((n / options.seconds) * 2).toFixed(0);
    console.log(
      `  P2b cache hits ${perSecond(hits)}/s through npm start, raw point reads ${perSecond(reads)}/s`,
    );
    console.log(
      `      gateway process CPU per hit ${(gatewayCpuMs / Math.max(1, hits)).toFixed(3)} ms (whole process: HTTP, handler, storage client)`,
    );
    console.log(ratioLine('P2b', p2bRatio, '≥ 0.6', p2bRatio >= 0.6));
    checks.push({ name: 'no request failed under load', ok: failures === 0 });

    for (const c of checks) console.log(`  check: ${c.name}: ${c.ok ? 'ok' : 'FAILED'}`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await gateway.close();
    await emulators.close();
  }
}
