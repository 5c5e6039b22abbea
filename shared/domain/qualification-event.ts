import { customerQualificationsPath } from './api-paths.js';
import type { StatusChange } from './vetting-transitions.js';

export type ChangeTrigger = 'submit' | 'refresh' | 'read';

/**
 * The CloudEvents 1.0 message emitted once per vetting status change, as the Storage queue
 * carries it (docs/data-model.md,
 * "Queue qualification-events"; `data.trigger` added). Event Grid subscribers get the same change
 * with their own type and subject (shared/events/subscriber-event.ts).
 */
export interface QualificationEvent {
  readonly specversion: '1.0';
  readonly type: typeof QUALIFICATION_EVENT_TYPE;
  readonly source: string;
  readonly id: string;
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly data: {
    readonly customerId: string;
    readonly qualification: string;
    readonly previousStatus: string | null;
    readonly vettingStatus: string;
    readonly vettingReason?: string;
    /** What made the gateway see the change. Absent only on events recorded before it was added. */
    readonly trigger?: ChangeTrigger;
    readonly correlationId: string;
  };
}

/**
 * An event waiting in a customer's outbox. `publishedTo` names the sinks that already have it
 * (absent until a first attempt ended): the event leaves the outbox once every configured sink
 * has it, and no sink is sent it again meanwhile.
 */
export interface OutboxEvent extends QualificationEvent {
  readonly publishedTo?: readonly string[];
}

export const QUALIFICATION_EVENT_TYPE = 'com.partnercenter.qualification.vetting-status-changed';

export function qualificationEvent(
  customerId: string,
  change: StatusChange,
  id: string,
  at: Date,
  correlationId: string,
  trigger?: ChangeTrigger,
): QualificationEvent {
  return {
    specversion: '1.0',
    type: QUALIFICATION_EVENT_TYPE,
    source: customerQualificationsPath(customerId),
    id,
    time: at.toISOString(),
    subject: customerId,
    datacontenttype: 'application/json',
    data: {
      customerId,
      qualification: change.qualification,
      previousStatus: change.from,
      vettingStatus: change.to,
      ...(change.vettingReason !== undefined && { vettingReason: change.vettingReason }),
      ...(trigger !== undefined && { trigger }),
      correlationId,
    },
  };
}

/** The event as a sink receives it: without the outbox's bookkeeping. */
export function withoutBookkeeping(event: OutboxEvent): QualificationEvent {
  const { specversion, type, source, id, time, subject, datacontenttype, data } = event;
  return { specversion, type, source, id, time, subject, datacontenttype, data };
}
