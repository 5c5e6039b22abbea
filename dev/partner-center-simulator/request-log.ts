import type { IncomingMessage } from 'node:http';
import { toHeaderRecord } from '../http-message.js';
import type { TokenKind } from './types.js';

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` holds the token kind, never the token. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, or null when there was none. */
  body: unknown;
  at: string;
}

/** Oldest entries are dropped past this, so a long local run cannot grow without bound. */
const REQUEST_LOG_CAPACITY = 100_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    // Drop in chunks: one splice per 10,000 requests instead of one shift per request.
    if (this.entries.length > REQUEST_LOG_CAPACITY * 1.1) {
      this.entries.splice(0, this.entries.length - REQUEST_LOG_CAPACITY);
    }
  }

  list(): readonly LoggedRequest[] {
    return this.entries.length > REQUEST_LOG_CAPACITY
      ? this.entries.slice(-REQUEST_LOG_CAPACITY)
      : this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}

export function describeRequest(
  req: IncomingMessage,
  url: URL,
  text: string | undefined,
  tokenKind: TokenKind,
  at: Date,
): LoggedRequest {
  const headers = toHeaderRecord(req.headers);
  headers.authorization = tokenKind;
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: loggedBody(text),
    at: at.toISOString(),
  };
}

function loggedBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
