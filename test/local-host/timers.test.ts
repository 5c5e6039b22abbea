import type { InvocationContext, Timer } from '@azure/functions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimerRunner } from '../../dev/local-host/timer-runner.js';
import { isLoopback } from '../../dev/local-host/http-server.js';
import { startToyHost } from './toy-host.js';

const everySecond = '*/1 * * * * *';
const yearly = '0 0 0 1 1 *';
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

interface Invocation {
  readonly timer: Timer;
  readonly context: InvocationContext;
}

function recorder(work: () => Promise<void> = () => Promise.resolve()) {
  const invocations: Invocation[] = [];
  let running = 0;
  let mostAtOnce = 0;
  return {
    invocations,
    mostAtOnce: () => mostAtOnce,
    handler: async (timer: Timer, context: InvocationContext) => {
      invocations.push({ timer, context });
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await work();
      } finally {
        running -= 1;
      }
    },
  };
}

describe('the local host: timers on schedule', () => {
  it('runs a timer on its six-field schedule, on time, with a real context', async () => {
    const calls = recorder();
    await startToyHost((registrar) => {
      registrar.timer('tick', { schedule: everySecond, handler: calls.handler });
    });

    await vi.waitFor(
      () => {
        expect(calls.invocations.length).toBeGreaterThanOrEqual(2);
      },
      {
        timeout: 4000,
      },
    );

    const [first, second] = calls.invocations;
    expect(first?.timer.isPastDue).toBe(false);
    expect(first?.context.functionName).toBe('tick');
    expect(first?.context.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.context.invocationId).not.toBe(first?.context.invocationId);
    expect(first?.timer.scheduleStatus.last).toBe('0001-01-01T00:00:00.000Z');
    expect(second?.timer.scheduleStatus.last).toBe(first?.timer.scheduleStatus.next);
  });

  it('never overlaps invocations of one timer, and logs the skipped occurrences', async () => {
    const calls = recorder(() => sleep(2200));
    const host = await startToyHost((registrar) => {
      registrar.timer('slow', { schedule: everySecond, handler: calls.handler });
    });

    await vi.waitFor(
      () => {
        expect(host.logs.filter((line) => line.includes('slow: skipped')).length).toBe(2);
      },
      { timeout: 5000 },
    );

    expect(calls.mostAtOnce()).toBe(1);
    expect(calls.invocations).toHaveLength(1);
  });

  it('resolves %SETTING% references in the schedule', async () => {
    const calls = recorder();
    await startToyHost(
      (registrar) => {
        registrar.timer('configured', { schedule: '%REFRESH_SCHEDULE%', handler: calls.handler });
      },
      { settings: { REFRESH_SCHEDULE: everySecond } },
    );

    await vi.waitFor(
      () => {
        expect(calls.invocations.length).toBeGreaterThan(0);
      },
      { timeout: 3000 },
    );
  });

  it.each([
    ['%MISSING%', /app setting 'MISSING', which is not set/],
    ['0 */5 * * *', /must have six fields/],
    ['0 0 99 * * *', /not valid NCRONTAB/],
    ['0 0 0 31 2 *', /never occurs/],
  ])('refuses to start with schedule %s', async (schedule, message) => {
    await expect(
      startToyHost((registrar) => {
        registrar.timer('bad', { schedule, handler: () => undefined });
      }),
    ).rejects.toThrow(message);
  });

  it('runs once at start with runOnStartup', async () => {
    const calls = recorder();
    await startToyHost((registrar) => {
      registrar.timer('eager', { schedule: yearly, runOnStartup: true, handler: calls.handler });
    });

    await vi.waitFor(
      () => {
        expect(calls.invocations).toHaveLength(1);
      },
      { timeout: 1000 },
    );
    expect(calls.invocations[0]?.timer.isPastDue).toBe(false);
  });

  it('does not run timers when runTimers is false', async () => {
    const calls = recorder();
    await startToyHost(
      (registrar) => {
        registrar.timer('idle', {
          schedule: everySecond,
          runOnStartup: true,
          handler: calls.handler,
        });
      },
      { runTimers: false },
    );

    await sleep(1300);
    expect(calls.invocations).toHaveLength(0);
  });

  it('logs a throwing timer and keeps running it', async () => {
    let attempts = 0;
    const host = await startToyHost((registrar) => {
      registrar.timer('flaky', {
        schedule: everySecond,
        handler: () => {
          attempts += 1;
          throw new Error(`failure ${attempts}`);
        },
      });
    });

    await vi.waitFor(
      () => {
        expect(attempts).toBeGreaterThanOrEqual(2);
      },
      { timeout: 4000 },
    );
    expect(
      host.logs.some((line) => line.startsWith('[error] flaky:') && line.includes('failure 1')),
    ).toBe(true);
  });
});

describe('the local host: running timers on demand', () => {
  it('runs a timer through the admin endpoint with 202, and 404 for anything else', async () => {
    const calls = recorder();
    const host = await startToyHost(
      (registrar) => {
        registrar.timer('refresh', { schedule: yearly, handler: calls.handler });
        registrar.http('ping', { handler: () => ({ body: 'pong' }) });
      },
      { runTimers: false },
    );
    const invoke = (name: string) =>
      fetch(`${host.url}/admin/functions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"input":""}',
      });

    expect((await invoke('refresh')).status).toBe(202);
    await vi.waitFor(
      () => {
        expect(calls.invocations).toHaveLength(1);
      },
      { timeout: 1000 },
    );
    expect(calls.invocations[0]?.timer.isPastDue).toBe(false);
    expect((await invoke('nothing')).status).toBe(404);
    expect((await invoke('ping')).status).toBe(404);
  });

  it('answers 409 to a second run while one is running: nobody can queue runs', async () => {
    let finish: () => void = () => undefined;
    const calls = recorder(() => new Promise<void>((resolve) => (finish = resolve)));
    const host = await startToyHost(
      (registrar) => {
        registrar.timer('refresh', { schedule: yearly, handler: calls.handler });
      },
      { runTimers: false },
    );
    const invoke = () => fetch(`${host.url}/admin/functions/refresh`, { method: 'POST' });

    expect((await invoke()).status).toBe(202);
    await vi.waitFor(() => {
      expect(calls.invocations).toHaveLength(1);
    });
    expect((await invoke()).status).toBe(409);
    expect((await invoke()).status).toBe(409);
    finish();
    await vi.waitFor(async () => {
      expect((await invoke()).status).toBe(202);
    });
    finish();
    await vi.waitFor(() => {
      expect(calls.invocations).toHaveLength(2);
    });
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:192.168.1.2', false],
    ['fe80::1', false],
    [undefined, false],
  ])('takes admin calls from loopback only: %s → %s', (address, allowed) => {
    expect(isLoopback(address)).toBe(allowed);
  });

  it('runTimer waits for a running invocation instead of overlapping it', async () => {
    const calls = recorder(() => sleep(200));
    const host = await startToyHost(
      (registrar) => {
        registrar.timer('serial', { schedule: yearly, handler: calls.handler });
      },
      { runTimers: false },
    );

    await Promise.all([host.runTimer('serial'), host.runTimer('serial'), host.runTimer('SERIAL')]);

    expect(calls.invocations).toHaveLength(3);
    expect(calls.mostAtOnce()).toBe(1);
    await expect(host.runTimer('unknown')).rejects.toThrow(/No timer function named 'unknown'/);
  });

  it('close() waits for a running timer invocation to finish', async () => {
    let finished = false;
    const host = await startToyHost(
      (registrar) => {
        registrar.timer('long', {
          schedule: yearly,
          handler: async () => {
            await sleep(300);
            finished = true;
          },
        });
      },
      { runTimers: false },
    );

    const running = host.runTimer('long');
    await sleep(20);
    await host.close();

    expect(finished).toBe(true);
    await running;
  });
});

describe('TimerRunner: past due', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks an invocation past due when it starts more than a second late', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00.500Z'));
    const calls = recorder();
    const runner = new TimerRunner(
      'late',
      { schedule: everySecond, handler: calls.handler },
      {},
      () => {},
    );
    runner.start();

    await vi.advanceTimersToNextTimerAsync(); // 00:00:01, on time
    vi.setSystemTime(Date.now() + 3000); // the process was suspended for 3 s
    await vi.advanceTimersToNextTimerAsync();
    await runner.stop();

    expect(calls.invocations.map(({ timer }) => timer.isPastDue)).toEqual([false, true]);
  });
});
