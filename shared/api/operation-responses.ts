import type * as z from 'zod/v4/core';
import type { Operation } from './operation.js';
import type { ProblemType } from './problem-types.js';

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

/** One status an operation answers, as the OpenAPI document describes it. */
export interface OperationResponse {
  readonly description: string;
  /** The body's schema; an error status without one answers problem details. */
  readonly schema?: z.$ZodType;
  readonly headers?: Readonly<Partial<Record<ResponseHeader, Presence>>>;
  /** For an error status: the problem types the operation answers with under it. */
  readonly problems?: readonly ProblemType[];
  /** Example bodies of a success status, by name. */
  readonly examples?: Readonly<
    Record<string, { readonly summary: string; readonly value: unknown }>
  >;
}

export type OperationResponses = Readonly<Record<number, OperationResponse>>;

/**
 * How the gateway answers when Partner Center, or the token for it, fails (the mapping of
 * `shared/http/upstream-problem.ts`). `identity`: calls made with the gateway's app-only identity
 * (reads), or for the caller (submissions: App+User, or the caller's own user On-Behalf-Of).
 * `staleCopy`: a cached copy, when there is one, is served instead of an unavailability.
 */
export function partnerCenterAnswers(options: {
  readonly identity: 'app-only' | 'caller';
  readonly staleCopy: boolean;
}): OperationResponses {
  const caller = options.identity === 'caller';
  const unavailable = options.staleCopy ? ', and no cached copy exists' : '';
  const onBehalfOf: OperationResponses = {
    401: {
      description:
        "(On-Behalf-Of) Partner Center refuses the caller's user, who did not sign in with multi-factor authentication.",
      problems: ['mfa-required'],
      headers: { 'WWW-Authenticate': 'always' },
    },
  };
  return {
    400: {
      description: 'Partner Center refused the request as invalid.',
      problems: ['rejected-by-partner-center'],
    },
    ...(caller ? onBehalfOf : {}),
    403: {
      description: caller
        ? "Partner Center refuses this customer, or (On-Behalf-Of) the caller's user or token."
        : 'Partner Center refuses this customer.',
      problems: caller
        ? ['no-customer-relationship', 'refused-by-partner-center', 'on-behalf-of-refused']
        : ['no-customer-relationship'],
    },
    404: {
      description: 'Partner Center does not know this customer.',
      problems: ['customer-not-found'],
    },
    409: {
      description: "Partner Center refused because of the customer's current state.",
      problems: ['conflict-in-partner-center'],
    },
    502: {
      description: `Partner Center failed, answered with the wrong shape or refused the gateway's credentials, or a token needs the operator${unavailable}.`,
      problems: [
        'upstream-error',
        'invalid-upstream-response',
        'upstream-authorization-failed',
        'credential-unavailable',
      ],
    },
    503: {
      description: `Partner Center throttles or is cut off, too many calls are in flight, or a token cannot be had now${unavailable}.`,
      problems: [
        'upstream-throttled',
        'upstream-circuit-open',
        'gateway-busy',
        'credential-unavailable',
      ],
      headers: { 'Retry-After': 'always' },
    },
    504: {
      description: `Partner Center did not answer in time${unavailable}.`,
      problems: ['upstream-timeout'],
    },
  };
}

/**
 * Every response an operation can give: its own (`own`, from `documentedResponses`), and what the
 * HTTP edge (`shared/http/`) answers for it: 400 for a request part that does not parse, 401/403
 * from inbound authorization, 413/415 for a body, 503 when its storage is out of reach, 500 for
 * the unexpected.
 */
export function responsesOf(operation: Operation, own: OperationResponses): OperationResponses {
  const { request } = operation;
  const edge: Record<number, OperationResponse> = {
    500: { description: 'An unexpected error.', problems: ['internal-error'] },
  };
  if (request.path ?? request.query ?? request.headers ?? request.body) {
    edge[400] = {
      description: 'The request is invalid; `errors` names each bad field.',
      problems: ['invalid-request'],
    };
  }
  if (operation.access !== 'anonymous') {
    edge[401] = {
      description: 'No bearer token, or not a valid one.',
      problems: ['unauthorized'],
      headers: { 'WWW-Authenticate': 'always' },
    };
    edge[403] = {
      description: `The token lacks the app role ${operation.access}, or the calling application is not allowed.`,
      problems: ['forbidden'],
    };
  }
  if (request.body) {
    edge[413] = { description: 'The body is larger than 64 KiB.', problems: ['payload-too-large'] };
    edge[415] = { description: 'The body is not JSON.', problems: ['unsupported-media-type'] };
  }
  if (operation.usesStorage && own[503]?.schema === undefined) {
    edge[503] = {
      description: "The gateway's storage cannot be reached.",
      problems: ['storage-unavailable'],
      headers: { 'Retry-After': 'always' },
    };
  }
  return mergeResponses(edge, own);
}

/** Responses of one status from several sources: one description, every problem type. */
export function mergeResponses(...sources: readonly OperationResponses[]): OperationResponses {
  const merged: Record<number, OperationResponse> = {};
  for (const source of sources) {
    for (const [key, next] of Object.entries(source)) {
      const status = Number(key);
      const previous = merged[status];
      merged[status] = previous === undefined ? next : mergeTwo(previous, next);
    }
  }
  return merged;
}

function mergeTwo(a: OperationResponse, b: OperationResponse): OperationResponse {
  if (a.schema !== undefined || b.schema !== undefined) {
    throw new Error(`Two sources describe one status with a body of their own: ${b.description}`);
  }
  const names = new Set([
    ...Object.keys(a.headers ?? {}),
    ...Object.keys(b.headers ?? {}),
  ]) as Set<ResponseHeader>;
  const headers: Partial<Record<ResponseHeader, Presence>> = {};
  // A header is always there only when every source of the status always sends it.
  for (const name of names) {
    headers[name] =
      a.headers?.[name] === 'always' && b.headers?.[name] === 'always' ? 'always' : 'sometimes';
  }
  return {
    description: [a.description, b.description].filter((d) => d !== '').join(' '),
    problems: [...new Set([...(a.problems ?? []), ...(b.problems ?? [])])],
    ...(names.size > 0 && { headers }),
  };
}
