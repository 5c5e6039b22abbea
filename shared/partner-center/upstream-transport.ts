/**
 * One request as the Partner Center client sends it: the whole answer is read before the
 * transport returns, so that an attempt's deadline covers the body too.
 */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8 text (JSON); none for a GET. */
  readonly body?: string;
  /** Aborts the request wherever it is, the body's reading included; rejects with its reason. */
  readonly signal: AbortSignal;
  /**
   * The largest body read: a larger declared Content-Length is refused before reading, and
   * bytes past it while reading end the request; both reject with `BodyTooLargeError`.
   */
  readonly maxBytes: number;
}

/** An answer, whatever its status: redirects are never followed. */
export interface TransportAnswer {
  readonly status: number;
  /** A response header by name (any case); repeated headers joined by ", ". */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

/**
 * How the Partner Center client reaches Partner Center (node-http-transport.ts in production,
 * traced by shared/telemetry): rejects when no answer was had (the network, the signal, a body
 * too large), resolves with any answer that was.
 */
export type UpstreamTransport = (request: TransportRequest) => Promise<TransportAnswer>;
