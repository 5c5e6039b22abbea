import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOpenApiDocument } from '../../shared/api/openapi-document.js';
import {
  createResponseValidator,
  type ObservedResponse,
  type OpenApiDocument,
} from '../support/openapi-response-validator.js';

const validate = createResponseValidator(createOpenApiDocument() as unknown as OpenApiDocument);
const customer = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a';
const qualificationsPath = `/api/v1/customers/${customer}/qualifications`;

function observed(overrides: Partial<ObservedResponse> & { headers?: Headers }): ObservedResponse {
  return {
    method: 'GET',
    path: qualificationsPath,
    status: 200,
    headers: new Headers(),
    body: '',
    ...overrides,
  };
}

const json = (extra: Record<string, string> = {}) =>
  new Headers({
    'content-type': 'application/json; charset=utf-8',
    'x-correlation-id': randomUUID(),
    ...extra,
  });
const problemHeaders = (extra: Record<string, string> = {}) =>
  new Headers({
    'content-type': 'application/problem+json; charset=utf-8',
    'x-correlation-id': randomUUID(),
    ...extra,
  });
const qualifications = {
  customerId: customer,
  qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
  source: 'cache',
  lastSyncedAt: '2026-11-25T10:00:00.000Z',
  stale: false,
};
const problem = (type: string, status: number) =>
  JSON.stringify({ type, title: 'T', status, detail: 'D', correlationId: randomUUID() });

describe('the OpenAPI response validator', () => {
  it('passes a response the document allows', () => {
    const check = validate(
      observed({ headers: json({ etag: 'W/"abc"' }), body: JSON.stringify(qualifications) }),
    );
    expect(check).toEqual({ operationId: 'get-customer-qualifications', deviations: [] });
  });

  it.each([
    ['an undocumented status', observed({ status: 418 }), 'status not documented'],
    [
      'a missing required header',
      observed({ headers: json(), body: JSON.stringify(qualifications) }),
      'required header ETag missing',
    ],
    [
      'a header value its schema refuses',
      observed({ headers: json({ etag: '"strong"' }), body: JSON.stringify(qualifications) }),
      'header ETag',
    ],
    [
      'a body that does not match the schema',
      observed({
        headers: json({ etag: 'W/"abc"' }),
        body: JSON.stringify({ ...qualifications, source: 'elsewhere' }),
      }),
      'body: data/source must be equal to one of the allowed values',
    ],
    [
      'an undocumented media type',
      observed({
        headers: new Headers({ 'content-type': 'text/plain', 'x-correlation-id': randomUUID() }),
        body: 'ok',
      }),
      'media type "text/plain" not documented',
    ],
    [
      'a body where none is declared',
      observed({ status: 304, headers: json({ etag: 'W/"abc"' }), body: '{}' }),
      'a body where the document declares none',
    ],
    [
      'a problem type not documented for the status',
      observed({
        status: 404,
        headers: problemHeaders(),
        body: problem('docs/problems.md#busy', 404),
      }),
      'problem type docs/problems.md#busy not documented',
    ],
    [
      'a problem whose status is not the response status',
      observed({
        status: 404,
        headers: problemHeaders(),
        body: problem('docs/problems.md#customer-not-found', 400),
      }),
      'problem status 400',
    ],
    [
      'a 503 without Retry-After',
      observed({
        status: 503,
        headers: problemHeaders(),
        body: problem('docs/problems.md#storage-unavailable', 503),
      }),
      'required header Retry-After missing',
    ],
  ])('finds %s', (_name, response, expected) => {
    const { deviations } = validate(response);
    expect(deviations.join('\n')).toContain(expected);
  });

  it('leaves routes the document does not have to the host', () => {
    expect(validate(observed({ path: '/api/v1/nowhere', status: 404 }))).toEqual({
      operationId: undefined,
      deviations: [],
    });
  });
});
