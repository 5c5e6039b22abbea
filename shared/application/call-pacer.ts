import type { Clock } from '../domain/ports.js';

/** A 429 measures what Partner Center let through; the run paces a little under it… */
const MARGIN = 0.95;
/** …and creeps up by this share with every answered call, so that the pace follows a higher limit. */
const CREEP = 0.0002;

/**
 * Paces a refresh run's Partner Center calls once Partner Center has throttled it, so that a long
 * run meets a 429 now and then instead of at every refill of Partner Center's bucket. A 429
 * measures the calls answered since the previous one over the time between them (the
 * Retry-After pause included: Partner Center's bucket refilled meanwhile); from then on calls
 * start at most at a little under that rate, from a bucket of one second's worth, creeping up
 * while they are answered. Unpaced until the first 429.
 */
export class CallPacer {
  private rate = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private refilledAt: number;
  private windowStart: number;
  private answeredInWindow = 0;

  constructor(private readonly clock: Clock) {
    this.refilledAt = this.windowStart = this.now();
  }

  /** Waits for its turn; false when that would be past `deadline`. */
  async take(deadline: number): Promise<boolean> {
    for (;;) {
      if (!Number.isFinite(this.rate)) return true;
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return true;
      }
      const waitMs = ((1 - this.tokens) / this.rate) * 1000;
      if (this.now() + waitMs >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** Calls per second it lets start now (Infinity before the first 429). */
  get callsPerSecond(): number {
    return this.rate;
  }

  answered(): void {
    this.answeredInWindow++;
    if (Number.isFinite(this.rate)) this.rate *= 1 + CREEP;
  }

  throttled(): void {
    const now = this.now();
    const seconds = (now - this.windowStart) / 1000;
    // The calls in flight when Partner Center's bucket ran dry all meet it: the first one
    // measures, the others have nothing answered since to measure.
    if (this.answeredInWindow === 0 || seconds <= 0) return;
    this.rate = Math.max(1, (MARGIN * this.answeredInWindow) / seconds);
    this.tokens = 0;
    this.refilledAt = now;
    this.windowStart = now;
    this.answeredInWindow = 0;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
