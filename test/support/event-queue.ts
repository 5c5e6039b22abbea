import { QueueClient } from '@azure/storage-queue';
import { inject } from 'vitest';
import type { QualificationEvent } from '../../shared/domain/qualification-event.js';
import { eventsQueueName } from '../../shared/storage/queue-event-publisher.js';

/** Reads the gateway's change events from Azurite's queue, as a queue-triggered consumer would. */
export class EventQueue {
  private readonly queue: QueueClient;

  constructor(tablePrefix: string) {
    this.queue = new QueueClient(inject('azuriteConnectionString'), eventsQueueName(tablePrefix));
  }

  async clear(): Promise<void> {
    await this.queue.createIfNotExists();
    await this.queue.clearMessages();
  }

  /** Takes every message off the queue (base64 JSON, as a Functions queue trigger reads it). */
  async drain(): Promise<QualificationEvent[]> {
    await this.queue.createIfNotExists();
    const events: QualificationEvent[] = [];
    for (;;) {
      const { receivedMessageItems } = await this.queue.receiveMessages({
        numberOfMessages: 32,
        visibilityTimeout: 300,
      });
      if (receivedMessageItems.length === 0) return events;
      for (const message of receivedMessageItems) {
        const text = Buffer.from(message.messageText, 'base64').toString('utf8');
        events.push(JSON.parse(text) as QualificationEvent);
        await this.queue.deleteMessage(message.messageId, message.popReceipt);
      }
    }
  }
}
