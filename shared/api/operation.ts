import type { z } from 'zod';
import type { AppRole } from '../auth/access-policy.js';
import type { ProblemType } from './problem-types.js';

export type Access = 'anonymous' | AppRole;

/** Response headers the gateway sets besides `x-correlation-id` (which every response has). */
export type ResponseHeader =
  | 'ETag'
  | 'Location'
  | 'Retry-After'
  | 'Idempotent-Replayed'
  | 'Gateway-Recorded'
  | 'WWW-Authenticate'
  | 'Cache-Control';

/** Whether a header comes with every response of its status, or only with some. */
export type Presence = 'always' | 'sometimes';

export interface OperationResponse {
  readonly description: string;
  /** The body's schema; an error status without one answers problem details. */
  readonly schema?: z.ZodType;
  readonly headers?: Readonly<Partial<Record<ResponseHeader, Presence>>>;
  /** For an error status: the problem types the operation answers with under it. */
  readonly problems?: readonly ProblemType[];
  /** Example bodies of a success status, by name. */
  readonly examples?: Readonly<
    Record<string, { readonly summary: string; readonly value: unknown }>
  >;
}

export type OperationResponses = Readonly<Record<number, OperationResponse>>;

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
    readonly path?: z.ZodObject;
    readonly query?: z.ZodObject;
    readonly headers?: z.ZodObject;
    readonly body?: z.ZodType;
    /** Example bodies, by name. */
    readonly bodyExamples?: Readonly<
      Record<string, { readonly summary: string; readonly value: unknown }>
    >;
  };
  /**
   * What the operation itself answers. What the HTTP edge answers for every operation (400 for a
   * bad request, 401/403, 413/415 for a body, 503 without storage, 500) is added by
   * `responsesOf`.
   */
  readonly responses: OperationResponses;
}
