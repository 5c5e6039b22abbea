import type { ResponseCheck } from './openapi-response-validator.js';

export interface CheckedResponse extends ResponseCheck {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The problem type of an error answer, for coverage reports. */
  readonly problemType?: string;
}

/** What was checked against the OpenAPI document, and what deviated from it. */
export class ConformanceRecord {
  /** Every response that matched an operation of the document, oldest first. */
  readonly checked: CheckedResponse[] = [];
  private deviations: string[] = [];

  add(
    result: ResponseCheck,
    response: { method: string; path: string; status: number; body: string },
  ): void {
    if (result.operationId !== undefined) {
      this.checked.push({
        ...result,
        method: response.method,
        path: response.path,
        status: response.status,
        problemType: problemType(response.body),
      });
    }
    this.deviations.push(...result.deviations);
  }

  /** The deviations found since the last call (all of them on the first), then forgotten. */
  takeDeviations(): string[] {
    const taken = this.deviations;
    this.deviations = [];
    return taken;
  }
}

/** Records in use, for the suite-wide check after each test (test/support/conformance-setup.ts). */
export const activeRecords = new Set<ConformanceRecord>();

/** Fails with every response that deviated from the OpenAPI document. */
export function assertConforming(deviations: readonly string[]): void {
  if (deviations.length > 0) {
    throw new Error(`Responses that deviate from the OpenAPI document:\n${deviations.join('\n')}`);
  }
}

function problemType(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { type?: unknown };
    return typeof parsed.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
