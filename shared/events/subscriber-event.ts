import type { ChangeTrigger, QualificationEvent } from '../domain/qualification-event.js';

/**
 * The event as Event Grid subscribers get it (docs/events.md): one `type` per transition family,
 * so that a subscription filters with `includedEventTypes` alone, and a `subject` path, so that
 * it filters by customer (prefix) or qualification (suffix). `id`, `time` and `source` are the
 * queue message's: one change is one event, whichever sink carried it.
 */
export const SUBSCRIBER_EVENT_TYPES = {
  /** The vetting is now `InReview`: a submission, or a new one seen in Partner Center. */
  submitted: 'com.partnercenter.qualification.submitted',
  approved: 'com.partnercenter.qualification.approved',
  denied: 'com.partnercenter.qualification.denied',
  /** Any other new status: one Partner Center added later, kept as data. */
  changed: 'com.partnercenter.qualification.vetting-status-changed',
} as const;

export type SubscriberEventType =
  (typeof SUBSCRIBER_EVENT_TYPES)[keyof typeof SUBSCRIBER_EVENT_TYPES];

/**
 * Names the JSON Schema of `data` by its `$id` (docs/events/qualification-vetting-event.v1.schema.json).
 * A new major version gets a new name; fields are only ever added to this one.
 */
export const SUBSCRIBER_EVENT_DATA_SCHEMA =
  'urn:partner-qualifications-gateway:events:qualification-vetting:v1';

export interface SubscriberEventData {
  readonly customerId: string;
  readonly qualification: string;
  readonly previousStatus: string | null;
  readonly vettingStatus: string;
  readonly vettingReason?: string;
  readonly trigger: ChangeTrigger | 'unknown';
  readonly correlationId: string;
}

/** The CloudEvents 1.0 attributes `@azure/eventgrid` sends (`time` becomes RFC 3339). */
export interface SubscriberEvent {
  readonly type: SubscriberEventType;
  readonly source: string;
  readonly id: string;
  readonly time: Date;
  readonly subject: string;
  readonly dataschema: string;
  readonly datacontenttype: 'application/json';
  readonly data: SubscriberEventData;
}

export function subscriberEventType(vettingStatus: string): SubscriberEventType {
  switch (vettingStatus) {
    case 'InReview':
      return SUBSCRIBER_EVENT_TYPES.submitted;
    case 'Approved':
      return SUBSCRIBER_EVENT_TYPES.approved;
    case 'Denied':
      return SUBSCRIBER_EVENT_TYPES.denied;
    default:
      return SUBSCRIBER_EVENT_TYPES.changed;
  }
}

export function subscriberEvent(event: QualificationEvent): SubscriberEvent {
  const { data } = event;
  return {
    type: subscriberEventType(data.vettingStatus),
    source: event.source,
    id: event.id,
    time: new Date(event.time),
    subject: `customers/${data.customerId}/qualifications/${data.qualification}`,
    dataschema: SUBSCRIBER_EVENT_DATA_SCHEMA,
    datacontenttype: 'application/json',
    data: {
      customerId: data.customerId,
      qualification: data.qualification,
      previousStatus: data.previousStatus,
      vettingStatus: data.vettingStatus,
      ...(data.vettingReason !== undefined && { vettingReason: data.vettingReason }),
      // Only an event recorded before the trigger was kept lacks it.
      trigger: data.trigger ?? 'unknown',
      correlationId: data.correlationId,
    },
  };
}
