import { systemClock } from '../domain/clock.js';
import type {
  CallContext,
  Clock,
  DeliveryMode,
  DeliveryOutcome,
  EventDelivery,
  EventSink,
} from '../domain/ports.js';
import { withoutBookkeeping, type OutboxEvent } from '../domain/qualification-event.js';
import { describeError } from '../logging/redact.js';
import { CircuitBreaker } from '../partner-center/circuit-breaker.js';

/** How a sink that keeps failing is kept off the request path. */
export interface SinkGuard {
  /** Deadline of one delivery to the sink (the sinks are sent to at once). */
  readonly deadlineMs: number;
  /** Failed deliveries in a row after which inline deliveries skip the sink for a while. */
  readonly failureThreshold: number;
  readonly openSeconds: number;
}

export const DEFAULT_GUARD: SinkGuard = {
  deadlineMs: 6_000,
  failureThreshold: 3,
  openSeconds: 30,
};

/**
 * A sink, and its guard. Without one (the Storage queue) it is sent to as before Event Grid
 * existed: every time, bounded by the storage client's own deadlines and retries.
 */
export interface GuardedSink {
  readonly sink: EventSink;
  readonly guard?: SinkGuard;
}

interface Entry {
  readonly sink: EventSink;
  readonly guard: SinkGuard | undefined;
  readonly breaker: CircuitBreaker | undefined;
}

/**
 * Every configured sink gets every event, each sink apart: one that is down holds back only its
 * own copies, which stay in the outbox (with the names of the sinks that have them) until the
 * timer's relay gets them through. A guarded sink that keeps failing is skipped by inline
 * deliveries (its circuit is open), so that an outage costs requests nothing; the relay always
 * tries it, and its first success closes the circuit again.
 */
export class FanOutDelivery implements EventDelivery {
  readonly sinks: readonly string[];
  private readonly entries: readonly Entry[];

  constructor(sinks: readonly GuardedSink[], clock: Clock = systemClock) {
    this.sinks = sinks.map(({ sink }) => sink.name);
    this.entries = sinks.map(({ sink, guard }) => ({
      sink,
      guard,
      breaker:
        guard === undefined
          ? undefined
          : new CircuitBreaker(guard.failureThreshold, guard.openSeconds, clock),
    }));
  }

  health(): 'ok' | 'fail' {
    return this.guardedSinks().some((name) => this.circuitOpen(name)) ? 'fail' : 'ok';
  }

  /** The sinks that have a circuit breaker, by name. */
  guardedSinks(): string[] {
    return this.entries.filter((e) => e.breaker !== undefined).map((e) => e.sink.name);
  }

  /** Whether the circuit of the sink called `name` is open now (false for an unguarded one). */
  circuitOpen(name: string): boolean {
    return this.entries.some((e) => e.sink.name === name && e.breaker?.isOpen === true);
  }

  async deliver(
    events: readonly OutboxEvent[],
    call: CallContext,
    mode: DeliveryMode,
  ): Promise<DeliveryOutcome> {
    const taken = await Promise.all(
      this.entries.map((entry) => this.deliverTo(entry, events, call, mode)),
    );
    const publishedTo = new Map<string, readonly string[]>();
    for (const event of events) {
      const had = event.publishedTo ?? [];
      publishedTo.set(
        event.id,
        this.sinks.filter((name, i) => had.includes(name) || taken[i]?.has(event.id) === true),
      );
    }
    return { publishedTo };
  }

  private async deliverTo(
    { sink, guard, breaker }: Entry,
    events: readonly OutboxEvent[],
    call: CallContext,
    mode: DeliveryMode,
  ): Promise<ReadonlySet<string>> {
    const due = events.filter((event) => !(event.publishedTo ?? []).includes(sink.name));
    if (due.length === 0) return new Set();
    if (mode === 'inline' && breaker?.tryAcquire().allowed === false) return new Set();
    const signal =
      guard === undefined ? new AbortController().signal : AbortSignal.timeout(guard.deadlineMs);
    const result = await sink
      .send(due.map(withoutBookkeeping), signal)
      .catch((failure: unknown) => ({ delivered: [], failure }));
    if (result.failure === undefined) {
      breaker?.recordSuccess();
    } else {
      breaker?.recordFailure();
      call.logger.warn('Publishing change events failed; they stay in the outbox for the timer', {
        sink: sink.name,
        events: due.length,
        delivered: result.delivered.length,
        error: describeError(result.failure),
      });
    }
    return new Set(result.delivered);
  }
}
