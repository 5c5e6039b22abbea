import * as z from 'zod';
import { genericFault, throttled, type SimResponse } from './api-fault.js';

export const faultSpecSchema = z
  .strictObject({
    method: z.string().min(1).optional(),
    path: z.string().startsWith('/', 'path must start with /').optional(),
    status: z.union([z.literal(0), z.int().min(100).max(599)]).optional(),
    times: z.int().min(1).default(1),
    retryAfterSeconds: z.int().min(0).optional(),
    delayMs: z.int().min(0).max(600_000).optional(),
    body: z.unknown().optional(),
    /** The answer's Content-Type (default JSON), e.g. `text/html` for a proxy's error page. */
    contentType: z.string().min(1).max(200).optional(),
    reset: z.literal(true).optional(),
    phase: z.enum(['before', 'after']).default('before'),
  })
  .refine((f) => f.status !== undefined || f.delayMs !== undefined || f.reset === true, {
    message: 'A fault needs at least one of status, delayMs or reset.',
  })
  .refine((f) => !(f.status !== undefined && f.reset === true), {
    message: 'A fault cannot both answer with a status and reset the connection.',
  });

export type FaultSpec = z.output<typeof faultSpecSchema>;

export interface Fault extends FaultSpec {
  readonly id: number;
  remaining: number;
}

/** Injected faults, consumed oldest first, one per matching /v1 request. */
export class FaultQueue {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId++, remaining: spec.times };
    this.faults.push(fault);
    return fault;
  }

  take(method: string, pathname: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => matches(fault, method, pathname));
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  clear(): void {
    this.faults = [];
  }
}

function matches(fault: Fault, method: string, pathname: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  if (fault.path === undefined) return true;
  const want = fault.path.toLowerCase();
  const got = pathname.toLowerCase();
  return want.endsWith('*') ? got.startsWith(want.slice(0, -1)) : got === want;
}

/** The answer a status fault gives: its own body, or what Partner Center would send. */
export function faultAnswer(fault: Fault, status: number): SimResponse {
  const retryAfter = fault.retryAfterSeconds;
  if (fault.body === undefined) {
    if (status === 429) return throttled(retryAfter ?? 1);
    const answer = genericFault(status);
    return retryAfter === undefined
      ? answer
      : { ...answer, headers: { 'Retry-After': String(retryAfter) } };
  }
  // Throttling always carries Retry-After, whatever body the test chose.
  const seconds = retryAfter ?? (status === 429 ? 1 : undefined);
  const headers = {
    ...(seconds !== undefined && { 'Retry-After': String(seconds) }),
    ...(fault.contentType !== undefined && { 'Content-Type': fault.contentType }),
  };
  return {
    status,
    body: fault.body,
    verbatim: typeof fault.body === 'string',
    ...(Object.keys(headers).length > 0 && { headers }),
  };
}
