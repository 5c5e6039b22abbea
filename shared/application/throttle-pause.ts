import type { Clock } from '../domain/ports.js';

/** Partner Center's Retry-After, shared by all workers of a refresh run. */
export class ThrottlePause {
  private resumeAt = 0;

  constructor(private readonly clock: Clock) {}

  extend(seconds: number): void {
    this.resumeAt = Math.max(this.resumeAt, this.now() + seconds * 1000);
  }

  /** Waits out the pause; false when it lasts beyond `deadline`. */
  async wait(deadline: number): Promise<boolean> {
    while (this.resumeAt > this.now()) {
      if (this.resumeAt >= deadline) return false;
      await delay(this.resumeAt - this.now());
    }
    return true;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
