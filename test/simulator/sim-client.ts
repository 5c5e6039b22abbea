import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  simulatorToken,
  startSimulator,
  type LoggedRequest,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../dev/partner-center-simulator/index.js';

export const APP_ONLY = simulatorToken('app-only');
export const APP_USER = simulatorToken('app+user');

export const FAULT_SOURCE = 'PartnerApiServiceControllers';

/** A JWT-shaped token with chosen claims (unsigned: the simulator only decodes it). */
export function jwt(payload: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.sig`;
}

export interface RequestOptions {
  /** null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Talks to one running simulator over real HTTP. */
export class SimClient {
  private constructor(
    readonly sim: RunningSimulator,
    readonly url: string,
  ) {}

  static async start(options: SimulatorOptions = {}): Promise<SimClient> {
    const sim = await startSimulator({ port: 0, ...options });
    return new SimClient(sim, sim.url);
  }

  close(): Promise<void> {
    return this.sim.close();
  }

  get(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send('GET', path, undefined, { token: APP_ONLY, ...options });
  }

  /** A string body is sent as is; anything else as JSON. Defaults to an App+User token. */
  post(path: string, body: unknown, options: RequestOptions = {}): Promise<Response> {
    return this.send('POST', path, body, { token: APP_USER, ...options });
  }

  send(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined && options.token !== null) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    return fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async control<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JsonResponse<T>> {
    const res = await this.send(method, `/_simulator${path}`, body);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  async requests(): Promise<LoggedRequest[]> {
    return (await this.control<LoggedRequest[]>('GET', '/requests')).body;
  }

  async reset(): Promise<void> {
    const res = await this.control('POST', '/reset');
    if (res.status !== 204) throw new Error(`reset answered ${res.status}`);
  }

  async qualificationsOf(customerId: string): Promise<unknown> {
    const res = await this.get(`/v1/customers/${customerId}/qualifications`);
    return json(res);
  }
}

/**
 * One simulator for the test file: started before its tests, reset before each one (unless
 * `reset: false`, for files that reset it themselves), closed after them all.
 */
export function useSimulator(
  options: SimulatorOptions = {},
  { reset = true }: { reset?: boolean } = {},
): SimClient {
  let started: SimClient | undefined;
  const current = (): SimClient => {
    if (started === undefined) throw new Error('the simulator is used before beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    started = await SimClient.start(options);
  });
  if (reset) beforeEach(() => current().reset());
  afterAll(() => started?.close());
  // The client the hooks start, forwarded, so that tests read `sim.get(…)` as they would a value.
  return new Proxy(Object.create(SimClient.prototype) as SimClient, {
    get(_target, property) {
      const client = current();
      const value: unknown = Reflect.get(client, property, client);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(client)
        : value;
    },
  });
}

export async function json(res: Response): Promise<unknown> {
  return res.json();
}

export function qualificationsPath(customerId: string): string {
  return `/v1/customers/${customerId}/qualifications`;
}

/** The ApiFault body; `description` may be an asymmetric matcher such as containing(). */
export function apiFault(code: number, description: unknown) {
  return { code, description, data: [], source: FAULT_SOURCE };
}

export function containing(text: string): unknown {
  return expect.stringContaining(text);
}
