/**
 * A typed client of the simulator's control API (`/_simulator`, see README.md), for the tests
 * and the benchmark that drive the simulator over HTTP.
 */
import type * as z from 'zod';
import type { faultSpecSchema } from './faults.js';
import type { LoggedRequest } from './request-log.js';
import type { settingsPatchSchema } from './settings.js';
import type { CustomerView } from './types.js';

export type { LoggedRequest };

/** What `POST /_simulator/faults` accepts; omitted fields take the simulator's defaults. */
export type FaultSpec = z.input<typeof faultSpecSchema>;

export class SimulatorControl {
  constructor(readonly url: string) {}

  async requests(): Promise<LoggedRequest[]> {
    return (await this.send('GET', '/_simulator/requests')) as LoggedRequest[];
  }

  async clearRequests(): Promise<void> {
    await this.send('DELETE', '/_simulator/requests');
  }

  async fault(spec: FaultSpec): Promise<void> {
    await this.send('POST', '/_simulator/faults', spec);
  }

  async clearFaults(): Promise<void> {
    await this.send('DELETE', '/_simulator/faults');
  }

  async createCustomer(qualifications: readonly object[] = []): Promise<string> {
    const created = (await this.send('POST', '/_simulator/customers', { qualifications })) as {
      customerId: string;
    };
    return created.customerId;
  }

  /** Bulk seeding (simulator extension): one request for many customers. */
  async createCustomers(qualifications: readonly object[], count: number): Promise<string[]> {
    const created = (await this.send(
      'POST',
      '/_simulator/customers',
      Array.from({ length: count }, () => ({ qualifications })),
    )) as { customerId: string }[];
    return created.map((c) => c.customerId);
  }

  /** Every customer with its qualifications as `/v1` would answer for it now. */
  async customers(): Promise<CustomerView[]> {
    return (await this.send('GET', '/_simulator/customers')) as CustomerView[];
  }

  async settings(patch: z.input<typeof settingsPatchSchema>): Promise<void> {
    await this.send('PUT', '/_simulator/settings', patch);
  }

  async decide(
    customerId: string,
    qualification: string,
    vettingStatus: 'Approved' | 'Denied',
    vettingReason?: string,
  ): Promise<void> {
    await this.send(
      'POST',
      `/_simulator/customers/${customerId}/qualifications/${qualification}/decision`,
      { vettingStatus, ...(vettingReason !== undefined && { vettingReason }) },
    );
  }

  async reset(): Promise<void> {
    await this.send('POST', '/_simulator/reset');
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
