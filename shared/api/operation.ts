import type * as z from 'zod/mini';
import type { AppRole } from '../auth/access-policy.js';

export type Access = 'anonymous' | AppRole;

/**
 * One HTTP operation: its route, the role it needs and the request parts the edge parses. What it
 * answers is documentation only, kept apart in `documented-responses.ts`.
 */
export interface Operation {
  /** The Azure Functions function name. */
  readonly functionName: string;
  readonly method: 'GET' | 'POST';
  /** Route under the host's prefix (`api/v1`), in Functions route-template syntax. */
  readonly route: string;
  /** One line: what it is. */
  readonly summary: string;
  /** What a caller needs to know beyond the summary: where the answer comes from, what it costs. */
  readonly description: string;
  /** The group the OpenAPI document lists it under. */
  readonly tag: 'Qualifications' | 'Submissions' | 'Partner' | 'Service';
  /** Whether it reads or writes the gateway's storage, and so may answer 503 while it is down. */
  readonly usesStorage: boolean;
  readonly access: Access;
  readonly request: {
    readonly path?: z.ZodMiniObject;
    readonly query?: z.ZodMiniObject;
    readonly headers?: z.ZodMiniObject;
    readonly body?: z.ZodMiniType;
    /** Example bodies, by name. */
    readonly bodyExamples?: Readonly<
      Record<string, { readonly summary: string; readonly value: unknown }>
    >;
  };
}
