import type { SimResponse } from './api-fault.js';
import { FaultQueue } from './faults.js';
import { TokenBucket } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { applySettingsPatch, type SettingsPatch } from './settings.js';
import type { SimulatorSettings } from './settings.js';
import { SimulatorState } from './state.js';

/** Everything one running simulator holds; the HTTP layer only reads and calls into it. */
export class SimulatorContext {
  readonly settings: SimulatorSettings;
  readonly state: SimulatorState;
  readonly faults = new FaultQueue();
  readonly requests = new RequestLog();
  /** First answer per MS-RequestId, so a retried POST has no second effect. */
  readonly replays = new Map<string, SimResponse>();
  private limiter: TokenBucket | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly now: () => Date,
    private readonly initialSettings: Readonly<SimulatorSettings>,
  ) {
    this.settings = { ...initialSettings };
    this.state = new SimulatorState(now, this.settings);
    this.limiter = limiterFor(this.settings.rateLimitPerSecond);
  }

  /** Undefined when the request may pass; otherwise the Retry-After seconds. */
  throttle(): number | undefined {
    return this.limiter?.take();
  }

  updateSettings(patch: SettingsPatch): void {
    applySettingsPatch(this.settings, patch);
    if (patch.rateLimitPerSecond !== undefined) {
      this.limiter = limiterFor(this.settings.rateLimitPerSecond);
    }
  }

  /** Back to the state the simulator started in, settings included. */
  reset(): void {
    Object.assign(this.settings, this.initialSettings);
    this.limiter = limiterFor(this.settings.rateLimitPerSecond);
    this.state.reset();
    this.faults.clear();
    this.requests.clear();
    this.replays.clear();
  }

  /** A delay that close() cancels, so a pending fault never keeps the process alive. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function limiterFor(rate: number | null): TokenBucket | undefined {
  return rate === null ? undefined : new TokenBucket(rate);
}
