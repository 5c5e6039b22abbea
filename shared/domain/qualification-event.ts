import type { StatusChange } from './vetting-transitions.js';

/**
 * The CloudEvents 1.0 message emitted once per vetting status change (described in
 * docs/data-model.md, "Queue qualification-events").
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
    readonly correlationId: string;
  };
}

export const QUALIFICATION_EVENT_TYPE = 'com.partnercenter.qualification.vetting-status-changed';

export type ChangeTrigger = 'submit' | 'refresh' | 'read';

export function qualificationEvent(
  customerId: string,
  change: StatusChange,
  id: string,
  at: Date,
  correlationId: string,
): QualificationEvent {
  return {
    specversion: '1.0',
    type: QUALIFICATION_EVENT_TYPE,
    source: `/api/v1/customers/${customerId}/qualifications`,
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
      correlationId,
    },
  };
}
