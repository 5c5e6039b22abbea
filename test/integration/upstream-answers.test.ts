import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS } from '../../dev/partner-center-simulator/index.js';
import { useTestGateway } from '../support/test-gateway.js';

/**
 * Build 2 and 4 (M6): a refusal for one customer is that caller's answer, and every shape of
 * upstream answer — ApiFault, bare JSON string, plain text, HTML, empty, a 200 of the wrong
 * shape — maps to a clear problem that keeps Partner Center's own words. Never a 500.
 */
const env = useTestGateway({ settings: { PARTNER_CENTER_MAX_RETRIES: '0' } });

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  upstream?: { status: number; code?: string | number; description?: string };
}

const qualificationsUrl = (customerId: string) =>
  `${env.api}/customers/${customerId}/qualifications`;
const read = async (customerId: string) => {
  const response = await fetch(qualificationsUrl(customerId));
  return { response, body: (await response.json()) as ProblemBody & { stale?: boolean } };
};
const submit = async (customerId: string) => {
  const response = await fetch(qualificationsUrl(customerId), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
  });
  return { response, body: (await response.json()) as ProblemBody };
};

describe('a customer Partner Center refuses (403 / 20002)', () => {
  it('six GETs answer 403 no-customer-relationship with its code and words; /health stays 200', async () => {
    const customerId = SEEDED_CUSTOMERS.noCommerceRelationship;
    for (let i = 0; i < 6; i++) {
      const { response, body } = await read(customerId);
      expect(response.status).toBe(403);
      expect(body.type).toMatch(/#no-customer-relationship$/);
      expect(body.upstream).toMatchObject({ status: 403, code: 20002 });
      expect(body.detail).toMatch(/no commerce relationship with the customer ID/);
    }
    const health = await fetch(`${env.api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { partnerCenter: 'ok' } });
    // A warning that keeps Partner Center's code readable, never a configuration fault.
    const lines = env.logs.filter((l) => l.includes('refused the request for this customer'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines[0]).toContain('"code":20002');
    expect(env.logs.some((l) => l.includes('configuration fault'))).toBe(false);
  });

  it('a submission for it is refused the same way', async () => {
    const { response, body } = await submit(SEEDED_CUSTOMERS.noCommerceRelationship);
    expect(response.status).toBe(403);
    expect(body.type).toMatch(/#no-customer-relationship$/);
  });
});

describe('any upstream body shape', () => {
  it('a bare JSON string refusal keeps its words', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({ method: 'POST', status: 400, body: '"Customer tagging denied."' });
    const { response, body } = await submit(customerId);
    expect(response.status).toBe(400);
    expect(body.detail).toBe('Customer tagging denied.');
    expect(body.upstream).toEqual({ status: 400, description: 'Customer tagging denied.' });
  });

  it('a plain-text refusal keeps its words', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      method: 'POST',
      status: 409,
      body: 'Qualification already requested.',
      contentType: 'text/plain',
    });
    const { response, body } = await submit(customerId);
    expect(response.status).toBe(409);
    expect(body.detail).toBe('Qualification already requested.');
  });

  it('an HTML page from a front door keeps its title, as a refusal and as an outage', async () => {
    const page = (title: string) =>
      `<!DOCTYPE html><html><head><title>${title}</title><style>p{}</style></head>` +
      '<body><h1>Error</h1><script>var x = 1;</script></body></html>';
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({
      method: 'POST',
      status: 400,
      body: page('Request blocked by policy &amp; rules'),
      contentType: 'text/html',
    });
    const refused = await submit(customerId);
    expect(refused.response.status).toBe(400);
    expect(refused.body.detail).toBe('Request blocked by policy & rules');

    await env.simulator.fault({
      path: `/v1/customers/${customerId}/qualifications`,
      status: 502,
      body: page('502 Bad Gateway'),
      contentType: 'text/html',
    });
    const outage = await read(customerId);
    expect(outage.response.status).toBe(502);
    expect(outage.body.upstream).toEqual({ status: 502, description: '502 Bad Gateway' });
    expect(outage.body.detail).toContain('502 Bad Gateway');
  });

  it('an empty refusal says Partner Center gave no reason', async () => {
    const customerId = await env.simulator.createCustomer();
    await env.simulator.fault({ method: 'POST', status: 400, body: '' });
    const { response, body } = await submit(customerId);
    expect(response.status).toBe(400);
    expect(body.detail).toBe('Partner Center answered 400 without saying why.');
    expect(body.upstream).toEqual({ status: 400 });
  });

  it('control characters are removed and long words trimmed', async () => {
    const customerId = await env.simulator.createCustomer();
    const words = `Denied\u0007\r\n\tbecause ${'x'.repeat(2000)}`;
    await env.simulator.fault({ method: 'POST', status: 400, body: JSON.stringify(words) });
    const { response, body } = await submit(customerId);
    expect(response.status).toBe(400);
    expect(body.detail).toMatch(/^Denied because x+…$/);
    expect(body.detail.length).toBeLessThanOrEqual(500);
    // eslint-disable-next-line no-control-regex -- what must not be there
    expect(body.detail).not.toMatch(/[\u0000-\u001f]/);
  });

  it('a 200 of the wrong shape is a 502 without a copy, and the stale copy with one', async () => {
    const customerId = await env.simulator.createCustomer();
    const path = `/v1/customers/${customerId}/qualifications`;
    await env.simulator.fault({ path, status: 200, body: { value: 'not a list' } });
    const first = await read(customerId);
    expect(first.response.status).toBe(502);
    expect(first.body.type).toMatch(/#invalid-upstream-response$/);

    expect((await read(customerId)).response.status).toBe(200);
    for (const body of ['<html><body>OK</body></html>', '"ok"', '']) {
      await env.simulator.fault({ path, status: 200, body });
      const refreshed = await fetch(`${qualificationsUrl(customerId)}?refresh=true`);
      expect(refreshed.status).toBe(200);
      expect(await refreshed.json()).toMatchObject({ stale: true, qualifications: [] });
    }
  });
});
