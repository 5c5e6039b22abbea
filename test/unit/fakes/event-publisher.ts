import type { EventPublisher } from '../../../shared/domain/ports.js';
import type { QualificationEvent } from '../../../shared/domain/qualification-event.js';

/** The qualification-events queue in memory. */
export class RecordingPublisher implements EventPublisher {
  readonly published: QualificationEvent[] = [];

  publish(event: QualificationEvent): Promise<void> {
    this.published.push(event);
    return Promise.resolve();
  }
}
