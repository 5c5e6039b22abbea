import { describe, expect, it } from 'vitest';
import type { EventSink } from '../../shared/domain/ports.js';
import type { QualificationEvent } from '../../shared/domain/qualification-event.js';
import { lazySink } from '../../shared/events/lazy-sink.js';

const event = { id: 'e1' } as QualificationEvent;
const signal = new AbortController().signal;

describe('lazySink', () => {
  it('makes its sink on the first send, once, and sends through it', async () => {
    let made = 0;
    const sent: string[] = [];
    const sink = lazySink('queue', () => {
      made++;
      const real: EventSink = {
        name: 'queue',
        send: (events) => {
          sent.push(...events.map((e) => e.id));
          return Promise.resolve({ delivered: events.map((e) => e.id) });
        },
      };
      return Promise.resolve(real);
    });
    expect(sink.name).toBe('queue');
    expect(made).toBe(0);
    await Promise.all([sink.send([event], signal), sink.send([event], signal)]);
    expect(made).toBe(1);
    expect(sent).toEqual(['e1', 'e1']);
  });

  it('answers a failed load as the send failing, and tries the load again next send', async () => {
    let attempts = 0;
    const sink = lazySink('event-grid', () => {
      attempts++;
      if (attempts === 1) return Promise.reject(new Error('module not found'));
      return Promise.resolve<EventSink>({
        name: 'event-grid',
        send: (events) => Promise.resolve({ delivered: events.map((e) => e.id) }),
      });
    });
    const first = await sink.send([event], signal);
    expect(first.delivered).toEqual([]);
    expect(first.failure).toBeInstanceOf(Error);
    expect(await sink.send([event], signal)).toEqual({ delivered: ['e1'] });
    expect(attempts).toBe(2);
  });
});
