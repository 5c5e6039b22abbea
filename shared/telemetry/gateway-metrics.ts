import { metrics, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { INSTRUMENTATION_SCOPE } from './tracing.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Bucket boundaries of vetting decision time, in seconds: minutes (the simulator decides within
 * minutes) up to the weeks a real vetting can take.
 */
export const DECISION_TIME_BUCKETS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  5 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  60 * DAY,
  90 * DAY,
];

/** Every instrument of the gateway; names and units are listed in docs/operations.md. */
export interface GatewayInstruments {
  readonly partnerCenterCallDuration: Histogram;
  readonly partnerCenterThrottled: Counter;
  readonly partnerCenterRetryAfter: Histogram;
  readonly cacheLookups: Counter;
  readonly idempotentReplays: Counter;
  readonly refreshRuns: Counter;
  readonly refreshCustomers: Counter;
  readonly refreshRunDuration: Histogram;
  readonly vettingDecisionTime: Histogram;
  readonly meter: Meter;
}

let instruments: GatewayInstruments | undefined;

/**
 * The instruments, made on first use: after start-up has set the meter provider (a meter taken
 * earlier would stay a no-op). Without an exporter they are the API's no-ops.
 */
export function gatewayInstruments(): GatewayInstruments {
  instruments ??= makeInstruments(metrics.getMeter(INSTRUMENTATION_SCOPE));
  return instruments;
}

function makeInstruments(meter: Meter): GatewayInstruments {
  return {
    meter,
    partnerCenterCallDuration: meter.createHistogram('partner_center.call.duration', {
      unit: 's',
      description:
        'Partner Center calls (retries and waits included), by operation and outcome (ok, rejected, throttled, unavailable, timeout).',
      advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60] },
    }),
    partnerCenterThrottled: meter.createCounter('partner_center.throttled', {
      unit: '{response}',
      description: 'Partner Center answers 429, by operation.',
    }),
    partnerCenterRetryAfter: meter.createHistogram('partner_center.retry_after', {
      unit: 's',
      description: 'Retry-After of the 429 answers of Partner Center.',
      advice: { explicitBucketBoundaries: [1, 2, 5, 10, 30, 60, 120, 300, 600] },
    }),
    cacheLookups: meter.createCounter('gateway.cache.lookups', {
      unit: '{read}',
      description: 'Reads of one customer, by result: hit, miss (read from Partner Center), stale.',
    }),
    idempotentReplays: meter.createCounter('gateway.idempotent_replays', {
      unit: '{request}',
      description: 'Submissions answered from an Idempotency-Key record, without a call.',
    }),
    refreshRuns: meter.createCounter('refresh.runs', {
      unit: '{run}',
      description: 'Runs of the refresh timer, by what ended them (stopped_by).',
    }),
    refreshCustomers: meter.createCounter('refresh.customers', {
      unit: '{customer}',
      description:
        'Customers of refresh runs, by result: checked, changed, failed, deferred, throttled.',
    }),
    refreshRunDuration: meter.createHistogram('refresh.run.duration', {
      unit: 's',
      description: 'Wall-clock time of one refresh run.',
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 240, 300] },
    }),
    vettingDecisionTime: meter.createHistogram('vetting.decision.duration', {
      unit: 's',
      description:
        'From the vetting submission (vettingCreateDate) to Approved or Denied, by qualification and outcome.',
      advice: { explicitBucketBoundaries: DECISION_TIME_BUCKETS },
    }),
  };
}
