import type { TokenCredential } from '@azure/core-auth';
import { EventGridPublisherClient } from '@azure/eventgrid';
import type { EventSink, SinkResult } from '../domain/ports.js';
import type { QualificationEvent } from '../domain/qualification-event.js';
import { subscriberEvent, type SubscriberEvent } from './subscriber-event.js';

export const EVENT_GRID_SINK = 'event-grid';

export interface EventGridSinkOptions {
  /** The topic's endpoint, `https://<topic>.<region>-1.eventgrid.azure.net/api/events`. */
  readonly endpoint: string;
  /** The app's managed identity: a token for `https://eventgrid.azure.net`, never an access key. */
  readonly credential: TokenCredential;
  /** Deadline of one batch, the SDK's retries and their waits included. */
  readonly timeoutMs?: number;
  /** The SDK's retries: exponential with jitter; a 429/503 `Retry-After` is honoured. */
  readonly retry?: {
    readonly maxRetries: number;
    readonly retryDelayInMs: number;
    readonly maxRetryDelayInMs: number;
  };
  /** A batch's bounds; Event Grid takes at most 1 MB per request. */
  readonly maxBatchEvents?: number;
  readonly maxBatchBytes?: number;
}

interface Waiting {
  readonly events: readonly SubscriberEvent[];
  readonly bytes: number;
  readonly signal: AbortSignal;
  readonly resolve: (result: SinkResult) => void;
}

/**
 * Publishes to an Event Grid custom topic (CloudEvents 1.0 input schema) with `@azure/eventgrid`.
 * Sends are batched: while one request is out, the sends that arrive meanwhile (the timer's
 * workers, concurrent requests) wait and go together in the next one. One request per batch, all
 * or nothing; a batch Event Grid refuses as a whole (`400`, `413`) is tried again caller by
 * caller, so that one bad event cannot hold back the others.
 */
export class EventGridSink implements EventSink {
  readonly name = EVENT_GRID_SINK;
  private readonly client: EventGridPublisherClient<'CloudEvent'>;
  private readonly timeoutMs: number;
  private readonly maxBatchEvents: number;
  private readonly maxBatchBytes: number;
  private waiting: Waiting[] = [];
  private sending = false;

  constructor(options: EventGridSinkOptions) {
    this.client = new EventGridPublisherClient(options.endpoint, 'CloudEvent', options.credential, {
      retryOptions: options.retry ?? {
        maxRetries: 2,
        retryDelayInMs: 500,
        maxRetryDelayInMs: 2_000,
      },
    });
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBatchEvents = options.maxBatchEvents ?? 100;
    this.maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  }

  send(events: readonly QualificationEvent[], signal: AbortSignal): Promise<SinkResult> {
    if (events.length === 0) return Promise.resolve({ delivered: [] });
    const mapped = events.map(subscriberEvent);
    return new Promise((resolve) => {
      this.waiting.push({ events: mapped, bytes: sizeOf(mapped), signal, resolve });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let batch = this.takeBatch(); batch.length > 0; batch = this.takeBatch()) {
        await this.sendBatch(batch);
      }
    } finally {
      this.sending = false;
    }
  }

  /** The callers next in line whose events fit one request (always at least one caller). */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    let events = 0;
    let bytes = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiting;
      // A caller past its deadline is answered without sending: it will not record the outcome.
      if (next.signal.aborted) {
        this.waiting.shift();
        next.resolve({ delivered: [], failure: next.signal.reason });
        continue;
      }
      const fits =
        events + next.events.length <= this.maxBatchEvents &&
        bytes + next.bytes <= this.maxBatchBytes;
      if (batch.length > 0 && !fits) break;
      batch.push(next);
      this.waiting.shift();
      events += next.events.length;
      bytes += next.bytes;
    }
    return batch;
  }

  private async sendBatch(batch: readonly Waiting[]): Promise<void> {
    try {
      await this.client.send(
        batch.flatMap((w) => w.events),
        { abortSignal: AbortSignal.timeout(this.timeoutMs) },
      );
      for (const w of batch) w.resolve({ delivered: w.events.map((e) => e.id) });
    } catch (failure) {
      if (batch.length > 1 && refusedAsAWhole(failure)) {
        for (const w of batch) await this.sendBatch([w]);
        return;
      }
      for (const w of batch) w.resolve({ delivered: [], failure });
    }
  }
}

function refusedAsAWhole(error: unknown): boolean {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return status === 400 || status === 413;
}

function sizeOf(events: readonly SubscriberEvent[]): number {
  return Buffer.byteLength(JSON.stringify(events));
}
