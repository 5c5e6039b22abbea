/** The parts of the simulator's control API (`/_simulator`, see its README) the benchmark uses. */
export interface SimulatorCustomer {
  readonly customerId: string;
  readonly qualifications: readonly unknown[];
}

export interface SimulatorSettingsPatch {
  readonly vettingDelaySeconds?: number;
  readonly rateLimitPerSecond?: number | null;
}

interface LoggedRequestHead {
  readonly method: string;
  readonly path: string;
}

export class SimulatorClient {
  constructor(private readonly url: string) {}

  /** Bulk seeding: one request, all or none. */
  async createCustomers(customers: readonly object[]): Promise<string[]> {
    const created = (await this.send('POST', '/_simulator/customers', customers)) as {
      customerId: string;
    }[];
    return created.map((c) => c.customerId);
  }

  /** Every customer with its qualifications as `/v1` would answer for it right now. */
  async customers(): Promise<SimulatorCustomer[]> {
    return (await this.send('GET', '/_simulator/customers')) as SimulatorCustomer[];
  }

  async settings(patch: SimulatorSettingsPatch): Promise<void> {
    await this.send('PUT', '/_simulator/settings', patch);
  }

  async clearRequests(): Promise<void> {
    await this.send('DELETE', '/_simulator/requests');
  }

  /** `/v1` requests since the last clear, throttled ones included. */
  async requests(): Promise<LoggedRequestHead[]> {
    return (await this.send('GET', '/_simulator/requests')) as LoggedRequestHead[];
  }

  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.url), {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}
