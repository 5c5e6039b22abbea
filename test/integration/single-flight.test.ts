import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../support/test-gateway.js';

/**
 * Build 3 (M8): concurrent reads of one customer, or of the validation codes, share one Partner
 * Center call. The bulkhead is two calls wide here: were the reads not shared, most of them
 * would be refused with 503.
 */
const env = useTestGateway({
  settings: { PARTNER_CENTER_MAX_CONCURRENT_CALLS: '2', PARTNER_CENTER_TIMEOUT_MS: '10000' },
});

const UPSTREAM_DELAY_MS = 1500;

describe('single-flight reads over real HTTP', () => {
  it('50 concurrent refresh=true GETs of one customer: all 200, a handful of calls, none older than its ask', async () => {
    const customerId = await env.simulator.createCustomer([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    await env.simulator.clearRequests();
    await env.simulator.fault({ delayMs: UPSTREAM_DELAY_MS, times: 100 });

    const get = async () => {
      const sentAt = Date.now();
      const response = await fetch(
        `${env.api}/customers/${customerId}/qualifications?refresh=true`,
      );
      const body = (await response.json()) as { lastSyncedAt?: string; source?: string };
      return { status: response.status, sentAt, body };
    };
    // One read first; the other 49 arrive while its Partner Center call is out, so joining that
    // call would give them an answer asked for before they were sent.
    const first = get();
    await expect
      .poll(async () => (await env.simulator.requests()).length, { interval: 20 })
      .toBe(1);
    const outcomes = await Promise.all([first, ...Array.from({ length: 49 }, get)]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(50).fill(200));
    const calls = (await env.simulator.requests()).filter((r) => r.path.includes(customerId));
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(4);
    for (const { sentAt, body } of outcomes) {
      // refresh=true: an answer Partner Center was asked for after this request was sent.
      expect(body.source).toBe('partner-center');
      expect(Date.parse(body.lastSyncedAt ?? '')).toBeGreaterThanOrEqual(sentAt);
    }
  });

  it('20 concurrent GETs of the validation codes share one call', async () => {
    await env.simulator.fault({ delayMs: UPSTREAM_DELAY_MS, times: 100 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async () => (await fetch(`${env.api}/validation-codes`)).status),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    const calls = (await env.simulator.requests()).filter((r) => r.path.endsWith('/validations'));
    expect(calls.length).toBeLessThanOrEqual(2);
  });
});
