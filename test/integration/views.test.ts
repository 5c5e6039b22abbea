import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

let env: TestGateway;
let education: string[];
let gcc: string;
beforeAll(async () => {
  env = await startTestGateway();
  const inReview = (qualification: string) => ({
    qualification,
    vettingStatus: 'InReview',
    vettingCreateDate: '2026-11-20T10:00:00Z',
  });
  education = await env.simulator.createCustomers([inReview('Education')], 5);
  gcc = (await env.simulator.createCustomers([inReview('GovernmentCommunityCloud')], 1))[0] ?? '';
  for (const id of [...education, gcc]) {
    expect((await fetch(`${env.api}/customers/${id}/qualifications`)).status).toBe(200);
  }
});
afterAll(async () => {
  await env.close();
});
beforeEach(async () => {
  await env.simulator.clearRequests();
});

interface Page {
  items: {
    customerId: string;
    qualification: string;
    vettingStatus: string;
    lastSyncedAt: string;
  }[];
  continuationToken: string | null;
}

async function page(query: string): Promise<{ status: number; body: Page }> {
  const response = await fetch(`${env.api}/qualifications?${query}`);
  return { status: response.status, body: (await response.json()) as Page };
}

describe('GET /qualifications?vettingStatus=…', () => {
  it('pages through every pending qualification from the cache, with no upstream call', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query = `vettingStatus=InReview&pageSize=2${token === null ? '' : `&continuationToken=${encodeURIComponent(token)}`}`;
      const { status, body } = await page(query);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) {
        expect(item.vettingStatus).toBe('InReview');
        expect(Date.parse(item.lastSyncedAt)).not.toBeNaN();
        seen.push(item.customerId);
      }
      token = body.continuationToken;
      pages++;
    } while (token !== null && pages < 10);
    expect(seen.sort()).toEqual([...education, gcc].sort());
    expect(await env.simulator.requests()).toHaveLength(0);
  });

  it('filters by qualification', async () => {
    const { body } = await page('vettingStatus=InReview&qualification=GovernmentCommunityCloud');
    expect(body.items.map((i) => i.customerId)).toEqual([gcc]);
  });

  it('follows a decision: the item moves to its new status', async () => {
    const [id] = education;
    if (id === undefined) throw new Error('no customer');
    await env.simulator.decide(id, 'Education', 'Approved');
    await fetch(`${env.api}/customers/${id}/qualifications?refresh=true`);
    const approved = await page('vettingStatus=Approved');
    expect(approved.body.items.map((i) => i.customerId)).toEqual([id]);
    const pending = await page('vettingStatus=InReview&pageSize=200');
    expect(pending.body.items.map((i) => i.customerId)).not.toContain(id);
  });

  it.each([
    ['', 'query.vettingStatus'],
    ['vettingStatus=In%20Review', 'query.vettingStatus'],
    ['vettingStatus=InReview&pageSize=0', 'query.pageSize'],
    ['vettingStatus=InReview&pageSize=201', 'query.pageSize'],
    ['vettingStatus=InReview&pageSize=ten', 'query.pageSize'],
    ['vettingStatus=InReview&qualification=%27%20or%201', 'query.qualification'],
    ['vettingStatus=InReview&sort=asc', 'query.sort'],
  ])('refuses ?%s with 400 naming %s', async (query, path) => {
    const response = await fetch(`${env.api}/qualifications?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(path);
  });

  it.each([
    ['not JSON', 'bm9wZQ'],
    ['null', 'bnVsbA=='],
    ['a number for a key', 'eyJuZXh0UGFydGl0aW9uS2V5IjoxfQ=='],
    [
      'a number for the row key',
      'eyJuZXh0UGFydGl0aW9uS2V5IjoiSW5SZXZpZXd8MCIsIm5leHRSb3dLZXkiOjV9',
    ],
    ['a property of its own', 'eyJuZXh0UGFydGl0aW9uS2V5IjoiSW5SZXZpZXd8MCIsImZpbHRlciI6IngifQ=='],
    ['not base64', 'a token!'],
  ])('refuses a continuation token it did not issue (%s) with 400', async (_, token) => {
    const response = await fetch(
      `${env.api}/qualifications?vettingStatus=InReview&continuationToken=${encodeURIComponent(token)}`,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(['query.continuationToken']);
  });
});

describe('GET /customers/{customerId}/qualifications/history', () => {
  it('is empty for a customer without changes, and 400 for a bad id', async () => {
    const id = education[1];
    const empty = await fetch(`${env.api}/customers/${id ?? ''}/qualifications/history`);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ customerId: id, events: [] });
    expect((await fetch(`${env.api}/customers/nope/qualifications/history`)).status).toBe(400);
  });
});
