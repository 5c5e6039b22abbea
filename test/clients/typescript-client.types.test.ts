import { describe, expectTypeOf, it } from 'vitest';
import {
  createGatewayClient,
  type CreateQualificationRequest,
  type CustomerQualifications,
  type ProblemDetails,
  type Qualification,
} from '../../clients/typescript/gateway-client.js';

/**
 * What the generated types let a caller write. `npm run typecheck` checks this file: each
 * `@ts-expect-error` fails the typecheck if the line under it ever compiles. The calls are
 * never made (the client points at an address nothing listens on, and no test awaits them).
 */
const client = createGatewayClient({ baseUrl: 'http://127.0.0.1:9/api/v1' });
const path = { customerId: '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' };
const never = (): boolean => false;

describe('the TypeScript client types', () => {
  it('require a body on the POST', () => {
    if (never()) {
      // @ts-expect-error the request body is required
      void client.POST('/customers/{customerId}/qualifications', { params: { path } });
      void client.POST('/customers/{customerId}/qualifications', {
        params: { path },
        body: { qualification: 'StateOwnedEntity' },
      });
    }
  });

  it('require a validationCode for GovernmentCommunityCloud and a segment for Education', () => {
    if (never()) {
      void client.POST('/customers/{customerId}/qualifications', {
        params: { path },
        // @ts-expect-error GovernmentCommunityCloud needs validationCode
        body: { qualification: 'GovernmentCommunityCloud' },
      });
      void client.POST('/customers/{customerId}/qualifications', {
        params: { path },
        // @ts-expect-error Education needs educationSegment
        body: { qualification: 'Education' },
      });
      void client.POST('/customers/{customerId}/qualifications', {
        params: { path },
        // @ts-expect-error a segment that does not exist
        body: { qualification: 'Education', educationSegment: 'Kindergarten' },
      });
    }
    expectTypeOf<{
      qualification: 'GovernmentCommunityCloud';
      validationCode: string;
    }>().toExtend<CreateQualificationRequest>();
    expectTypeOf<{
      qualification: 'GovernmentCommunityCloud';
    }>().not.toExtend<CreateQualificationRequest>();
    expectTypeOf<{ qualification: 'Nonprofit' }>().not.toExtend<CreateQualificationRequest>();
  });

  it('require the path parameter and the vettingStatus of the pending list', () => {
    if (never()) {
      // @ts-expect-error customerId is required
      void client.GET('/customers/{customerId}/qualifications', { params: { path: {} } });
      // @ts-expect-error vettingStatus is required
      void client.GET('/qualifications', { params: { query: {} } });
      // @ts-expect-error not a route of the gateway
      void client.GET('/customers');
    }
  });

  it('type the answers: data by the success status, error as problem details', () => {
    if (never()) void Promise.all([readQualifications(), submit()]);
    type Read = Awaited<ReturnType<typeof readQualifications>>;
    type Submit = Awaited<ReturnType<typeof submit>>;
    expectTypeOf<NonNullable<Read['data']>>().toEqualTypeOf<CustomerQualifications>();
    expectTypeOf<NonNullable<Read['error']>>().toEqualTypeOf<ProblemDetails>();
    expectTypeOf<NonNullable<Submit['data']>>().toEqualTypeOf<Qualification>();
    expectTypeOf<NonNullable<Submit['error']>>().toEqualTypeOf<ProblemDetails>();
    expectTypeOf<ProblemDetails['upstream']>().toEqualTypeOf<
      { status: number; code?: string | number; description?: string } | undefined
    >();
  });
});

function readQualifications() {
  return client.GET('/customers/{customerId}/qualifications', { params: { path } });
}

function submit() {
  return client.POST('/customers/{customerId}/qualifications', {
    params: { path },
    body: { qualification: 'StateOwnedEntity' },
  });
}
