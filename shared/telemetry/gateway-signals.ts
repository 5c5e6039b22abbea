import { trace } from '@opentelemetry/api';
import type { GetCustomerQualificationsOutcome } from '../application/get-customer-qualifications.js';
import type { RefreshReport } from '../application/refresh-pending-vetting.js';
import type { PendingAge } from '../domain/vetting-summary.js';
import { gatewayInstruments } from './gateway-metrics.js';

/** What a cache-aside read ended as: `hit`, `miss` (read from Partner Center) or `stale`. */
export function recordCacheLookup(outcome: GetCustomerQualificationsOutcome): void {
  const result =
    outcome.kind !== 'found' || outcome.source !== 'cache'
      ? 'miss'
      : outcome.stale
        ? 'stale'
        : 'hit';
  gatewayInstruments().cacheLookups.add(1, { 'cache.result': result });
}

export function recordIdempotentReplay(): void {
  gatewayInstruments().idempotentReplays.add(1);
}

/** One refresh run: its counts as metrics and as attributes of the run's span. */
export function recordRefreshRun(report: RefreshReport): void {
  const { refreshRuns, refreshCustomers, refreshRunDuration } = gatewayInstruments();
  const stoppedBy = { 'refresh.stopped_by': report.stoppedBy };
  refreshRuns.add(1, stoppedBy);
  refreshRunDuration.record(report.durationMs / 1000, stoppedBy);
  const counts = {
    checked: report.checked,
    changed: report.changed,
    failed: report.failed,
    deferred: report.deferred,
    throttled: report.throttled,
  };
  for (const [result, count] of Object.entries(counts)) {
    // Zero too: a series that exists reads 0 on a dashboard rather than "no data".
    refreshCustomers.add(count, { 'refresh.result': result });
  }
  trace.getActiveSpan()?.setAttributes({
    'refresh.indexed': report.indexed,
    'refresh.checked': report.checked,
    'refresh.changed': report.changed,
    'refresh.cleared': report.cleared,
    'refresh.failed': report.failed,
    'refresh.deferred': report.deferred,
    'refresh.throttled': report.throttled,
    'refresh.stopped_by': report.stoppedBy,
  });
}

/**
 * The circuit breaker's state as a gauge (1 open, 0 closed), per identity it guards. Registered
 * once per breaker by the composition root.
 */
export function observeCircuitBreaker(identity: string, isOpen: () => boolean): void {
  gatewayInstruments()
    .meter.createObservableGauge('partner_center.circuit.open', {
      unit: '1',
      description:
        'Whether the circuit breaker keeps calls away from Partner Center (1) or not (0).',
    })
    .addCallback((result) => {
      result.observe(isOpen() ? 1 : 0, { 'partner_center.identity': identity });
    });
}

/**
 * An event sink's circuit breaker as a gauge (1 open: requests skip the sink and its events wait
 * in the outbox for the timer; 0 closed), per guarded sink. Registered once per sink.
 */
export function observeEventSinkCircuit(sink: string, isOpen: () => boolean): void {
  gatewayInstruments()
    .meter.createObservableGauge('events.sink.circuit.open', {
      unit: '1',
      description: 'Whether requests skip an event sink that keeps failing (1) or not (0).',
    })
    .addCallback((result) => {
      result.observe(isOpen() ? 1 : 0, { 'events.sink': sink });
    });
}

/** A vetting decision into the decision-time histogram. */
export function recordVettingDecision(decision: {
  readonly qualification: string;
  readonly outcome: string;
  readonly decisionSeconds: number;
}): void {
  gatewayInstruments().vettingDecisionTime.record(decision.decisionSeconds, {
    'vetting.qualification': decision.qualification,
    'vetting.outcome': decision.outcome,
  });
}

/** How long a pending snapshot is reused before the view is read again. */
const PENDING_SNAPSHOT_MS = 5 * 60_000;

/**
 * Pending vettings by qualification (count, oldest age) as gauges, read from the by-status view
 * when a metric export asks, at most every five minutes. Only called when exporting.
 */
export function observePendingVettings(
  readPending: () => Promise<readonly PendingAge[]>,
  now: () => number = Date.now,
): void {
  const { meter } = gatewayInstruments();
  const count = meter.createObservableGauge('vetting.pending', {
    unit: '{vetting}',
    description: 'Vettings InReview, by qualification.',
  });
  const oldest = meter.createObservableGauge('vetting.pending.oldest_age', {
    unit: 's',
    description: 'Age of the oldest vetting InReview, by qualification.',
  });
  let snapshot: { at: number; pending: readonly PendingAge[] } | undefined;
  meter.addBatchObservableCallback(
    async (result) => {
      if (snapshot === undefined || now() - snapshot.at >= PENDING_SNAPSHOT_MS) {
        try {
          snapshot = { at: now(), pending: await readPending() };
        } catch {
          return; // storage unreachable: no observation this time
        }
      }
      for (const p of snapshot.pending) {
        const attributes = { 'vetting.qualification': p.qualification };
        result.observe(count, p.count, attributes);
        if (p.oldestSeconds !== null) result.observe(oldest, p.oldestSeconds, attributes);
      }
    },
    [count, oldest],
  );
}
