import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { EventQueue } from '../support/event-queue.js';

/**
 * `npm start`'s program (dev/start.ts) as a child process, as a newcomer runs it: the simulator
 * and the local host on ports of their own, the suite's Azurite standing in for the embedded one.
 * A submitted customer's vetting must end on its own, in the cache, the history and the queue.
 */
let child: ChildProcess;
let output = '';
let api: string;
const prefix = `e${randomBytes(5).toString('hex')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  const [port, simulatorPort] = [await freePort(), await freePort()];
  api = `http://127.0.0.1:${String(port)}/api/v1`;
  child = spawn(process.execPath, ['--import', 'tsx', 'dev/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      SIMULATOR_VETTING_DELAY_SECONDS: '1',
      VETTING_REFRESH_SCHEDULE: '*/1 * * * * *',
      STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
      STORAGE_TABLE_PREFIX: prefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (!output.includes('Ctrl-C stops everything')) {
    if (Date.now() - started > 30_000 || child.exitCode !== null) {
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 40_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('answers health and prints the seeded customers', async () => {
    expect((await fetch(`${api}/health`)).status).toBe(200);
    expect(output).toContain(SEEDED_CUSTOMERS.educationApproved);
  });

  it('decides a submitted vetting on its own: cache, history and the queue', async () => {
    const customerId = SEEDED_CUSTOMERS.noQualifications;
    const submitted = await fetch(`${api}/customers/${customerId}/qualifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
    });
    expect(submitted.status).toBe(201);
    let events: { to: string; trigger: string }[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && events.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const history = await fetch(`${api}/customers/${customerId}/qualifications/history`);
      events = ((await history.json()) as { events: typeof events }).events;
    }
    const decided = events[0];
    expect(events).toHaveLength(2);
    expect(decided?.trigger).toBe('refresh');
    expect(['Approved', 'Denied']).toContain(decided?.to);
    const cached = (await (
      await fetch(`${api}/customers/${customerId}/qualifications`)
    ).json()) as {
      source: string;
      qualifications: { vettingStatus?: string }[];
    };
    expect(cached.source).toBe('cache');
    expect(cached.qualifications[0]?.vettingStatus).toBe(decided?.to);
    const queued = await new EventQueue(prefix).drain();
    expect(queued.map((e) => e.data.vettingStatus)).toEqual(['InReview', decided?.to]);
  }, 30_000);

  it('stops everything on Ctrl-C', async () => {
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(`${api}/health`)).rejects.toThrow();
  }, 20_000);
});
