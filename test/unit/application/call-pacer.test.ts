import { describe, expect, it } from 'vitest';
import { CallPacer } from '../../../shared/application/call-pacer.js';

describe('CallPacer', () => {
  it('is unpaced until a 429, then paces a little under what passed between 429s', async () => {
    let now = 0;
    const pacer = new CallPacer({ now: () => new Date(now) });
    for (let i = 0; i < 100; i++) expect(await pacer.take(now + 1)).toBe(true);
    expect(pacer.callsPerSecond).toBe(Number.POSITIVE_INFINITY);

    for (let i = 0; i < 10; i++) pacer.answered();
    now = 2_000;
    pacer.throttled(); // ten answered in two seconds: 5/s, paced at 95 % of it
    expect(pacer.callsPerSecond).toBeCloseTo(4.75);
    pacer.throttled(); // another call of the same burst: nothing answered since, nothing measured
    expect(pacer.callsPerSecond).toBeCloseTo(4.75);

    // A second later a second's worth may start at once; the next would wait past the deadline.
    now = 3_000;
    for (let i = 0; i < 4; i++) expect(await pacer.take(now + 1)).toBe(true);
    expect(await pacer.take(now + 1)).toBe(false);

    // Answered calls creep the pace up, so that it follows a limit that rose.
    for (let i = 0; i < 1000; i++) pacer.answered();
    expect(pacer.callsPerSecond).toBeGreaterThan(4.75 * 1.2);
  });
});
