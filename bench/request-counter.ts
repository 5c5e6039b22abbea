import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

// node:http requests (the Azure storage SDKs, the Partner Center client) and fetch requests.
const HTTP_CHANNEL = 'http.client.request.start';
const FETCH_CHANNEL = 'undici:request:create';

interface HttpStart {
  readonly request: ClientRequest;
}
interface FetchCreate {
  readonly request: { readonly origin: string };
}

/**
 * Counts the HTTP requests this thread sends, by `host:port`, while it listens: how many storage
 * and Partner Center round trips the gateway makes per record. Only this thread's requests are
 * seen, so emulators in a worker thread do not count.
 */
export class RequestCounter {
  private readonly counts = new Map<string, number>();

  private readonly onHttp = (message: unknown): void => {
    const host = (message as HttpStart).request.getHeader('host');
    this.add(typeof host === 'string' ? host : 'unknown');
  };

  private readonly onFetch = (message: unknown): void => {
    this.add(new URL((message as FetchCreate).request.origin).host);
  };

  start(): void {
    subscribe(HTTP_CHANNEL, this.onHttp);
    subscribe(FETCH_CHANNEL, this.onFetch);
  }

  stop(): void {
    unsubscribe(HTTP_CHANNEL, this.onHttp);
    unsubscribe(FETCH_CHANNEL, this.onFetch);
  }

  /** Requests sent to the host of `url` (scheme and path ignored). */
  countFor(url: string): number {
    return this.counts.get(new URL(url).host) ?? 0;
  }

  private add(host: string): void {
    this.counts.set(host, (this.counts.get(host) ?? 0) + 1);
  }
}

/** `TableEndpoint=…;QueueEndpoint=…` of a storage connection string. */
export function endpointOf(
  connectionString: string,
  name: 'TableEndpoint' | 'QueueEndpoint',
): string {
  const part = connectionString.split(';').find((p) => p.startsWith(`${name}=`));
  if (part === undefined) throw new Error(`The connection string has no ${name}`);
  return part.slice(name.length + 1);
}
