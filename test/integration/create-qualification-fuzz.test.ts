import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQualificationBodySchema } from '../../shared/api/request-schemas.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

let env: TestGateway;
beforeAll(async () => {
  env = await startTestGateway();
});
afterAll(async () => {
  await env.close();
});

const names = fc.constantFrom(
  'Education',
  'education',
  'GOVERNMENTCOMMUNITYCLOUD',
  'StateOwnedEntity',
  'None',
  'Nonprofit',
  '__proto__',
  'constructor',
  '../',
  '%2F',
  '',
);
const nearlyValid = fc.record(
  {
    qualification: fc.oneof(names, fc.string(), fc.integer()),
    educationSegment: fc.oneof(fc.constantFrom('K12', 'HigherEducation', 'k12'), fc.string()),
    website: fc.oneof(fc.webUrl(), fc.string()),
    validationCode: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const bodies = fc.oneof(nearlyValid, fc.jsonValue(), fc.string({ maxLength: 2000 }));
const ids = fc.oneof(
  fc.constant('../admin'),
  fc.constant('%2F..%2F'),
  fc.constant('__proto__'),
  fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => !s.includes('/') && !s.includes('?') && !s.includes('#')),
);

describe('POST bodies and ids, at random', () => {
  it('never answers 5xx and never calls Partner Center for an invalid request', async () => {
    // Valid requests go to a customer Partner Center does not know, so they have no effect.
    const unknownCustomer = randomUUID();
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), ids, async (body, validId, id) => {
        await env.simulator.clearRequests();
        const customerId = validId ? unknownCustomer : encodeURIComponent(id);
        const response = await fetch(`${env.api}/customers/${customerId}/qualifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
        const parsedBody = typeof body === 'string' ? safeParse(body) : body;
        const valid = validId && createQualificationBodySchema.safeParse(parsedBody).success;
        expect(response.status).toBeLessThan(500);
        const calls = await env.simulator.requests();
        if (!valid) {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(calls).toHaveLength(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the schema never accepts None or Nonprofit, in any case', () => {
    fc.assert(
      fc.property(fc.constantFrom('None', 'Nonprofit'), (qualification) => {
        expect(createQualificationBodySchema.safeParse({ qualification }).success).toBe(false);
        const shouted = { qualification: qualification.toUpperCase() };
        expect(createQualificationBodySchema.safeParse(shouted).success).toBe(false);
      }),
    );
  });
});

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol('not JSON');
  }
}
