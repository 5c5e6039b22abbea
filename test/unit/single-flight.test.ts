import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../shared/application/single-flight.js';

/** A task whose runs are counted and finished by hand. */
function controlledTask() {
  const runs: { finish: (value: string) => void; fail: (error: Error) => void }[] = [];
  const task = () =>
    new Promise<string>((resolve, reject) => {
      runs.push({ finish: resolve, fail: reject });
    });
  return { task, runs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlight', () => {
  it('lets callers that may join share the run in flight', async () => {
    const flights = new SingleFlight<string>();
    const { task, runs } = controlledTask();
    const answers = Promise.all(
      Array.from({ length: 10 }, () => flights.run('k', task, { joinRunning: true })),
    );
    await tick();
    expect(runs).toHaveLength(1);
    runs[0]?.finish('one');
    expect(await answers).toEqual(Array(10).fill('one'));
    expect(flights.size).toBe(0);
  });

  it('gives callers that need a fresh answer one run started after the running one ended', async () => {
    const flights = new SingleFlight<string>();
    const { task, runs } = controlledTask();
    const first = flights.run('k', task, { joinRunning: false });
    await tick();
    const fresh = Promise.all(
      Array.from({ length: 10 }, () => flights.run('k', task, { joinRunning: false })),
    );
    await tick();
    // Not joined to the run already out: it may have been answered before they arrived.
    expect(runs).toHaveLength(1);
    runs[0]?.finish('before');
    expect(await first).toBe('before');
    await tick();
    expect(runs).toHaveLength(2);
    runs[1]?.finish('after');
    expect(await fresh).toEqual(Array(10).fill('after'));
  });

  it('keeps keys apart, and forgets a failed run so the next call runs again', async () => {
    const flights = new SingleFlight<string>();
    const { task, runs } = controlledTask();
    const a = flights.run('a', task, { joinRunning: true });
    const b = flights.run('b', task, { joinRunning: true });
    await tick();
    expect(runs).toHaveLength(2);
    runs[0]?.fail(new Error('boom'));
    runs[1]?.finish('b');
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe('b');
    const again = flights.run('a', task, { joinRunning: true });
    await tick();
    expect(runs).toHaveLength(3);
    runs[2]?.finish('a');
    expect(await again).toBe('a');
  });
});
