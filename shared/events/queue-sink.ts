import type { EventPublisher, EventSink, SinkResult } from '../domain/ports.js';
import type { QualificationEvent } from '../domain/qualification-event.js';

export const QUEUE_SINK = 'queue';

/** The Storage queue as a sink: one message per event, in order, until one fails or time is up. */
export function queueSink(queue: EventPublisher): EventSink {
  return {
    name: QUEUE_SINK,
    async send(events: readonly QualificationEvent[], signal: AbortSignal): Promise<SinkResult> {
      const delivered: string[] = [];
      for (const event of events) {
        if (signal.aborted) return { delivered, failure: signal.reason };
        try {
          await queue.publish(event);
        } catch (failure) {
          return { delivered, failure };
        }
        delivered.push(event.id);
      }
      return { delivered };
    },
  };
}
