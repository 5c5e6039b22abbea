import * as z from 'zod/mini';
import { commaSeparated } from '../comma-separated.js';
import '../zod-english.js';

export const EVENT_SINK_NAMES = ['queue', 'event-grid'] as const;
export type EventSinkName = (typeof EVENT_SINK_NAMES)[number];

/** The change-event settings (part of settings.ts). */
export const eventSettingsSchema = z.object({
  EVENT_SINKS: z.optional(
    commaSeparated(
      z.array(z.enum(EVENT_SINK_NAMES, { error: 'must list queue and/or event-grid' })).check(
        z.minLength(1, 'must name at least one sink: queue, event-grid'),
        z.refine((names) => new Set(names).size === names.length, 'names a sink twice'),
      ),
    ),
  ),
  EVENT_GRID_TOPIC_ENDPOINT: z.optional(
    z.url({ protocol: /^https$/, error: 'must be the https endpoint of an Event Grid topic' }),
  ),
});

export type EventSettings = z.output<typeof eventSettingsSchema>;

export interface EventsConfig {
  /** In the order given; an event leaves the outbox once every one of them has it. */
  readonly sinks: readonly EventSinkName[];
  readonly eventGridTopicEndpoint: string | undefined;
}

/** Unset `EVENT_SINKS`: the queue, and Event Grid too when its topic is set. */
export function eventsConfigOf(s: EventSettings): EventsConfig {
  const sinks: EventSinkName[] =
    s.EVENT_SINKS ??
    (s.EVENT_GRID_TOPIC_ENDPOINT === undefined ? ['queue'] : ['queue', 'event-grid']);
  return { sinks, eventGridTopicEndpoint: s.EVENT_GRID_TOPIC_ENDPOINT };
}

/** Checked on the parsed values: one sink without the other's setting is a mistake to name. */
export function eventSettingsProblems(s: EventSettings): string[] {
  const problems: string[] = [];
  const sinks = eventsConfigOf(s).sinks;
  if (sinks.includes('event-grid') && s.EVENT_GRID_TOPIC_ENDPOINT === undefined) {
    problems.push('EVENT_GRID_TOPIC_ENDPOINT: required when EVENT_SINKS includes event-grid');
  }
  if (!sinks.includes('event-grid') && s.EVENT_GRID_TOPIC_ENDPOINT !== undefined) {
    problems.push(
      'EVENT_SINKS: leaves out event-grid although EVENT_GRID_TOPIC_ENDPOINT is set; add it, or unset the endpoint',
    );
  }
  return problems;
}
