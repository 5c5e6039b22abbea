import type { FetchImplementation } from 'jose';
import { BodyTooLargeError, readBoundedText } from '../bounded-body.js';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';

/** Entra ID's key sets are a few kilobytes; a body past this is not one. */
const MAX_KEY_SET_BYTES = 256 * 1024;

/** The key set could not be fetched; carries why, never a token. */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
}

/**
 * The fetch behind the cached key set (cached-key-set.ts). The key set waits a cooldown after a
 * successful fetch before it fetches again for an unknown `kid`; without keys in hand it would
 * try again on every request after a failed one, so an Entra ID outage would make every caller
 * wait for a timeout and every request hit the endpoint. This gate refuses at once for a
 * cooldown after a failure.
 *
 * Anything but a 200 with a JSON body counts as a failure; redirects are not followed (the key
 * set asks for `redirect: 'manual'`), so the key set cannot be moved to another host.
 */
export class KeySetFetchGate {
  private lastFailureAt: number | undefined;

  constructor(
    private readonly cooldownMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  readonly fetch: FetchImplementation = async (url, options) => {
    if (this.lastFailureAt !== undefined) {
      const waitedMs = this.clock.now().getTime() - this.lastFailureAt;
      if (waitedMs < this.cooldownMs) {
        throw new KeySetUnavailableError(
          `the last key set fetch failed ${Math.round(waitedMs)} ms ago; the next one is allowed after ${this.cooldownMs} ms`,
        );
      }
    }
    try {
      const response = await fetch(url, options);
      const body = await readBoundedText(response, MAX_KEY_SET_BYTES);
      if (response.status !== 200) {
        throw new KeySetUnavailableError(`the key set endpoint answered ${response.status}`);
      }
      JSON.parse(body);
      this.lastFailureAt = undefined;
      return new Response(body, { status: 200 });
    } catch (error) {
      this.lastFailureAt = this.clock.now().getTime();
      if (error instanceof KeySetUnavailableError) throw error;
      throw new KeySetUnavailableError(describeFetchFailure(error), { cause: error });
    }
  };
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof SyntaxError)
    return 'the key set endpoint answered with a body that is not JSON';
  if (error instanceof BodyTooLargeError)
    return `the key set endpoint answered with a body larger than ${error.maxBytes} bytes`;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'the key set fetch timed out';
  }
  return `the key set fetch failed (${error instanceof Error ? error.message : String(error)})`;
}
