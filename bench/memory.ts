const MIB = 1024 * 1024;

/**
 * Peak resident set and heap of this process, sampled on a timer. The process holds Azurite and
 * the simulator as well as the gateway, so these are upper bounds for the gateway alone.
 */
export class PeakMemory {
  peakRss = 0;
  peakHeapUsed = 0;
  private timer: NodeJS.Timeout | undefined;

  start(everyMs: number): void {
    this.sample();
    this.timer = setInterval(() => {
      this.sample();
    }, everyMs);
    // Sampling must never keep the process alive on its own.
    this.timer.unref();
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeapUsed = Math.max(this.peakHeapUsed, heapUsed);
  }
}

export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MiB`;
}
