import { afterEach } from 'vitest';
import { CollectingRegistrar } from '../../dev/local-host/collecting-registrar.js';
import {
  startLocalHost,
  type LocalHost,
  type LocalHostOptions,
} from '../../dev/local-host/http-server.js';

export interface ToyHost extends LocalHost {
  /** Every line the host logged, in order. */
  readonly logs: string[];
}

const started: LocalHost[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((host) => host.close()));
});

/** Starts a local host over toy functions; it is closed after the test. */
export async function startToyHost(
  register: (registrar: CollectingRegistrar) => void,
  options: Partial<Omit<LocalHostOptions, 'registrar' | 'log'>> = {},
): Promise<ToyHost> {
  const registrar = new CollectingRegistrar();
  register(registrar);
  const logs: string[] = [];
  const host = await startLocalHost({
    registrar,
    routePrefix: 'api/v1',
    settings: {},
    ...options,
    log: (line) => logs.push(line),
  });
  started.push(host);
  return Object.assign(host, { logs });
}
