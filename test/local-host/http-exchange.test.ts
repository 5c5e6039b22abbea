import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  plainResponse,
  toHttpResponse,
  toOutgoingResponse,
} from '../../dev/local-host/http-exchange.js';

/** What the library makes of a result: HttpResponse (a web Response), its body read whole. */
async function throughTheLibrary(result: unknown) {
  const response = toHttpResponse(result);
  return {
    status: response.status,
    headers: [...response.headers],
    body: response.body === null ? null : Buffer.from(await response.arrayBuffer()),
  };
}

const headerName = fc.constantFrom(
  'ETag',
  'content-type',
  'Content-Type',
  'x-correlation-id',
  'Retry-After',
  'Location',
);
const plainResult = fc.record(
  {
    status: fc.constantFrom(200, 201, 204, 205, 304, 400, 404, 503, 599),
    headers: fc.dictionary(
      headerName,
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map((s) => s.trim()),
    ),
    body: fc.oneof(fc.string(), fc.json(), fc.constant('')),
  },
  { requiredKeys: [] },
);

describe('the local host: a plain response built without the library', () => {
  it('is what the library makes of it: status, headers and body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(plainResult, async (result) => {
        const direct = plainResponse(result);
        expect(direct).toBeDefined();
        const expected = await throughTheLibrary(result);
        expect({
          status: direct?.status,
          headers: [...(direct?.headers ?? [])],
          body: direct?.body ?? null,
        }).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, unknown]>([
    [
      'an instance of a class',
      new (class Reply {
        status = 200;
      })(),
    ],
    ['a JSON body', { jsonBody: { a: 1 } }],
    ['cookies', { cookies: [{ name: 'a', value: 'b' }] }],
    ['a byte body', { body: new Uint8Array([1, 2]) }],
    ['Headers', { headers: new Headers({ a: 'b' }) }],
    ['a status out of range', { status: 99 }],
    ['undefined', undefined],
  ])('is not taken for %s, which goes through the library', (_, result) => {
    expect(plainResponse(result)).toBeUndefined();
  });

  it('leaves the rest to the library: a JSON body, undefined as 204', async () => {
    const json = await toOutgoingResponse({ jsonBody: { a: 1 } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.body?.toString()).toBe('{"a":1}');
    expect(await toOutgoingResponse(undefined)).toMatchObject({ status: 204, body: null });
  });
});
