import type { QueueClient } from '@azure/storage-queue';
import type { EventPublisher } from '../domain/ports.js';
import type { QualificationEvent } from '../domain/qualification-event.js';
import { onFirstUse } from '../on-first-use.js';

const QUALIFICATION_EVENTS_QUEUE = 'qualification-events';

/** The queue's name; the storage prefix keeps environments sharing an account apart. */
export function eventsQueueName(prefix: string): string {
  return `${prefix.toLowerCase()}${QUALIFICATION_EVENTS_QUEUE}`;
}

/**
 * Change events on a Storage queue, base64-encoded JSON as a Functions queue trigger expects.
 */
export class QueueEventPublisher implements EventPublisher {
  private readonly ensureCreated = onFirstUse(() => this.queue.createIfNotExists());

  /**
   * `createIfMissing`: create the queue on first use. Off where the deployment template created it
   * and the identity may only send messages (Storage Queue Data Message Sender).
   */
  constructor(
    private readonly queue: QueueClient,
    private readonly createIfMissing: boolean,
  ) {}

  async publish(event: QualificationEvent): Promise<void> {
    if (this.createIfMissing) await this.ensureCreated();
    await this.queue.sendMessage(Buffer.from(JSON.stringify(event)).toString('base64'));
  }
}
