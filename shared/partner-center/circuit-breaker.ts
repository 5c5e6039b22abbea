import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';

/**
 * Stops calling an upstream that keeps failing: after `failureThreshold` consecutive failures
 * the circuit opens for `openSeconds`; then one probe call is let through, and its outcome
 * closes the circuit again or re-opens it.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probeInFlight = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly openSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Whether a call may go out now; when it may not, how long until it may. */
  tryAcquire(): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    if (this.consecutiveFailures < this.failureThreshold) return { allowed: true };
    if (now < this.openUntil || this.probeInFlight) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((this.openUntil - now) / 1000)),
      };
    }
    this.probeInFlight = true;
    return { allowed: true };
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    this.probeInFlight = false;
    if (this.consecutiveFailures >= this.failureThreshold) {
      this.openUntil = this.clock.now().getTime() + this.openSeconds * 1000;
    }
  }

  /** A call that ended without telling anything about the upstream's health (e.g. a 4xx). */
  recordNeutral(): void {
    this.probeInFlight = false;
  }

  get isOpen(): boolean {
    return (
      this.consecutiveFailures >= this.failureThreshold &&
      this.clock.now().getTime() < this.openUntil
    );
  }
}
