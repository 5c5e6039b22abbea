import { describe, expect, it } from 'vitest';
import { CollectingRegistrar } from '../../dev/local-host/collecting-registrar.js';

describe('CollectingRegistrar', () => {
  it('records registrations in order', () => {
    const registrar = new CollectingRegistrar();
    const handler = () => ({});
    registrar.http('b', { handler });
    registrar.timer('t', { schedule: '0 * * * * *', handler });
    registrar.http('a', { handler, route: 'x' });

    expect(registrar.httpRegistrations.map(({ name }) => name)).toEqual(['b', 'a']);
    expect(registrar.timerRegistrations.map(({ name }) => name)).toEqual(['t']);
    expect(registrar.httpRegistrations[1]?.options.route).toBe('x');
  });

  it('refuses a second function with the same name, ignoring case', () => {
    const registrar = new CollectingRegistrar();
    registrar.http('ping', { handler: () => ({}) });
    expect(() => {
      registrar.timer('Ping', { schedule: '0 * * * * *', handler: () => undefined });
    }).toThrow(/already registered/);
  });
});
