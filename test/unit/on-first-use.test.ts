import { describe, expect, it } from 'vitest';
import { once, onFirstUse } from '../../shared/on-first-use.js';

describe('onFirstUse', () => {
  it('makes once for every caller, concurrent or later', async () => {
    let made = 0;
    const value = onFirstUse(() => Promise.resolve(++made));
    expect(await Promise.all([value(), value()])).toEqual([1, 1]);
    expect(await value()).toBe(1);
    expect(made).toBe(1);
  });

  it('forgets a failed make, so that the next caller tries again', async () => {
    let attempts = 0;
    const value = onFirstUse(() =>
      ++attempts === 1 ? Promise.reject(new Error('down')) : Promise.resolve('up'),
    );
    await expect(value()).rejects.toThrow('down');
    expect(await value()).toBe('up');
    expect(await value()).toBe('up');
    expect(attempts).toBe(2);
  });
});

describe('once', () => {
  it('makes nothing until first called, then gives every caller what it made', () => {
    let made = 0;
    const value = once(() => ({ n: ++made }));
    expect(made).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(made).toBe(1);
  });
});
