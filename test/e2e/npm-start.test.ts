import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { EventQueue } from '../support/event-queue.js';
import { startNpmStart, type RunningNpmStart } from '../support/npm-start.js';

/**
 * `npm start`'s program (dev/start.ts) as a child process, as a newcomer runs it: the simulator
 * and the local host on ports of their own, the suite's Azurite standing in for the embedded one.
 * A submitted customer's vetting must end on its own, in the cache, the history and the queue.
 */
let app: RunningNpmStart;
let api: string;
const prefix = `e${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  app = await startNpmStart({
    SIMULATOR_VETTING_DELAY_SECONDS: '1',
    VETTING_REFRESH_SCHEDULE: '*/1 * * * * *',
    STORAGE_TABLE_PREFIX: prefix,
  });
  api = app.api;
}, 40_000);

afterAll(() => {
  if (app.child.exitCode === null) app.child.kill('SIGKILL');
});

describe('npm start', () => {
  it('answers health and prints the seeded customers', async () => {
    expect((await fetch(`${api}/health`)).status).toBe(200);
    expect(app.output()).toContain(SEEDED_CUSTOMERS.educationApproved);
    // The queue alone by default, and how to turn Event Grid on.
    expect(app.output()).toContain('Change events go to the qualification-events queue.');
    expect(app.output()).toContain('EVENT_GRID_TOPIC_ENDPOINT=https://');
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
    app.child.kill('SIGINT');
    const [code] = (await once(app.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(`${api}/health`)).rejects.toThrow();
  }, 20_000);
});
