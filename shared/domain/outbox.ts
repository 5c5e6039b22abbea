import type { CustomerRecord } from './customer-record.js';
import type { OutboxEvent } from './qualification-event.js';

/** An event still in the outbox after this long was left behind by a writer that stopped. */
export const OUTBOX_RELAY_DELAY_MS = 60_000;

/**
 * The outbox events the timer may publish now: those whose writer already tried (it recorded
 * which sinks took them), and those old enough to have been left behind by a writer that
 * stopped. A younger untried event may still be on its way from its writer: publishing it here
 * too could double it.
 */
export function leftBehind(now: Date): (event: OutboxEvent) => boolean {
  const before = now.getTime() - OUTBOX_RELAY_DELAY_MS;
  return (event) => event.publishedTo !== undefined || Date.parse(event.time) < before;
}

/**
 * The outbox after an attempt to publish: an event every required sink has leaves it; one some
 * sink still lacks keeps the names of those that have it, so that none is sent it twice.
 * Undefined when nothing changes.
 */
export function afterDelivery(
  record: CustomerRecord,
  publishedTo: ReadonlyMap<string, readonly string[]>,
  required: readonly string[],
): CustomerRecord | undefined {
  let changed = false;
  const remaining: OutboxEvent[] = [];
  for (const event of record.unpublishedEvents) {
    const sinks = publishedTo.get(event.id);
    if (sinks === undefined) {
      remaining.push(event);
      continue;
    }
    const had = event.publishedTo ?? [];
    const has = required.filter((sink) => sinks.includes(sink) || had.includes(sink));
    if (has.length === required.length) {
      changed = true;
    } else if (event.publishedTo === undefined || has.length !== had.length) {
      changed = true;
      remaining.push({ ...event, publishedTo: has });
    } else {
      remaining.push(event);
    }
  }
  return changed ? { ...record, unpublishedEvents: remaining } : undefined;
}
