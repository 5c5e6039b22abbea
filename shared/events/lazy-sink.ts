import type { EventSink, SinkResult } from '../domain/ports.js';
import type { QualificationEvent } from '../domain/qualification-event.js';
import { onFirstUse } from '../on-first-use.js';

/**
 * A sink made on its first send, so that its client library (the Storage queue's, Event Grid's)
 * is loaded when the first event goes out, not while an instance starts. A load that fails is
 * the send's failure, and the next send tries again.
 */
export function lazySink(name: string, make: () => Promise<EventSink>): EventSink {
  const made = onFirstUse(make);
  return {
    name,
    async send(events: readonly QualificationEvent[], signal: AbortSignal): Promise<SinkResult> {
      let sink: EventSink;
      try {
        sink = await made();
      } catch (failure) {
        return { delivered: [], failure };
      }
      return sink.send(events, signal);
    },
  };
}
