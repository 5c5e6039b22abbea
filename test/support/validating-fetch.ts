import { ConformanceRecord, activeRecords } from './conformance.js';
import type { ObservedResponse, ResponseCheck } from './openapi-response-validator.js';

interface Watch {
  readonly origin: string;
  readonly check: (response: ObservedResponse) => ResponseCheck;
  readonly record: ConformanceRecord;
}

const watches = new Set<Watch>();
let installed = false;

/**
 * Wraps the global `fetch` the tests use (once per test file, from the setup file): every
 * response from a watched gateway is read (a clone of it) and checked before the test gets it.
 * No proxy hop, so tests that count on the gateway's own timing see it unchanged.
 */
export function installValidatingFetch(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const watch = [...watches].find((w) => w.origin === url.origin);
    if (watch !== undefined) {
      const method = (
        init?.method ?? (input instanceof Request ? input.method : 'GET')
      ).toUpperCase();
      let body: string;
      try {
        body = await response.clone().text();
      } catch {
        // The body broke off (a connection cut): the test meets that error itself when it reads.
        return response;
      }
      const observed = { method, path: url.pathname, status: response.status, body };
      watch.record.add(watch.check({ ...observed, headers: response.headers }), observed);
    }
    return response;
  };
}

/** Checks every response `fetch` gets from `baseUrl`'s origin until `stop()`. */
export function watchResponses(
  baseUrl: string,
  check: (response: ObservedResponse) => ResponseCheck,
): { record: ConformanceRecord; stop(): void } {
  const watch: Watch = { origin: new URL(baseUrl).origin, check, record: new ConformanceRecord() };
  watches.add(watch);
  activeRecords.add(watch.record);
  return {
    record: watch.record,
    stop: () => {
      watches.delete(watch);
      activeRecords.delete(watch.record);
    },
  };
}
