import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, sleep } from '../../shared/partner-center/backoff.js';

describe('backoffDelayMs', () => {
  it('grows exponentially with jitter between half and one and a half of the nominal delay', () => {
    expect(backoffDelayMs(1, 500, () => 0)).toBe(250);
    expect(backoffDelayMs(1, 500, () => 1)).toBe(750);
    expect(backoffDelayMs(3, 500, () => 0.5)).toBe(2000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-25T10:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleep(10_000, controller.signal);
    setTimeout(() => {
      controller.abort(new Error('deadline'));
    }, 20);
    await expect(sleeping).rejects.toThrow('deadline');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
  it('resolves after the delay', async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });
});
