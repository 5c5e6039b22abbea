import type { DeliveryOutcome, EventDelivery } from '../../../shared/domain/ports.js';
import {
  withoutBookkeeping,
  type OutboxEvent,
  type QualificationEvent,
} from '../../../shared/domain/qualification-event.js';

/** The qualification-events queue in memory, as the only sink. */
export class RecordingPublisher implements EventDelivery {
  readonly sinks = ['queue'];
  readonly published: QualificationEvent[] = [];

  health(): 'ok' | 'fail' {
    return 'ok';
  }

  deliver(events: readonly OutboxEvent[]): Promise<DeliveryOutcome> {
    this.published.push(...events.map(withoutBookkeeping));
    return Promise.resolve({ publishedTo: new Map(events.map((e) => [e.id, ['queue']])) });
  }
}
