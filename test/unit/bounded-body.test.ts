import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBoundedText } from '../../shared/bounded-body.js';

/** A body sent in the given chunks, recording whether the reader cancelled it. */
function streamed(chunks: readonly Uint8Array[], headers: Record<string, string> = {}) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[state.pulled++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(body, { headers }), state };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readBoundedText', () => {
  it('reads a body within the bound, a character split across chunks included', async () => {
    const euro = bytes('€'); // three bytes
    const { response } = streamed([bytes('price: 5'), euro.slice(0, 1), euro.slice(1)]);
    expect(await readBoundedText(response, 64)).toBe('price: 5€');
  });

  it('reads a body of exactly the bound', async () => {
    expect(await readBoundedText(new Response('x'.repeat(16)), 16)).toBe('x'.repeat(16));
  });

  it('refuses a declared Content-Length past the bound without reading the body', async () => {
    const { response, state } = streamed([bytes('{}')], { 'content-length': '1000' });
    await expect(readBoundedText(response, 999)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(state.pulled).toBeLessThanOrEqual(1);
    expect(state.cancelled).toBe(true);
  });

  it('stops reading, and cancels the stream, once more bytes arrive than the bound', async () => {
    const chunk = new Uint8Array(100);
    const { response, state } = streamed(Array.from({ length: 50 }, () => chunk));
    await expect(readBoundedText(response, 250)).rejects.toThrow('larger than 250 bytes');
    expect(state.pulled).toBeLessThan(10);
    expect(state.cancelled).toBe(true);
  });

  it('reads an empty body as empty text', async () => {
    expect(await readBoundedText(new Response(null, { status: 204 }), 10)).toBe('');
  });
});
