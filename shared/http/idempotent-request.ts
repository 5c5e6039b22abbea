import { createHash, randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import type { IdempotencyStore, StoredResponse } from '../domain/idempotency.js';
import { describeError } from '../logging/redact.js';
import { recordIdempotentReplay } from '../telemetry/gateway-signals.js';
import type { RequestScope } from './http-endpoint.js';

/**
 * Answers that are final for the request, replayed for the same Idempotency-Key. Any other is
 * not: a 401, 403 or 429 may pass once a credential or the customer's open submissions change,
 * and a 502, 503 or 504 says only that Partner Center's answer is unknown. A repeat then runs
 * again with the same MS-RequestId, so Partner Center still applies the submission at most once.
 */
const FINAL_STATUSES: ReadonlySet<number> = new Set([201, 400, 404, 409]);

/** A request that may carry an Idempotency-Key. */
export interface IdempotentRequest {
  /** What the key is unique within, e.g. the customer. */
  readonly scope: string;
  /** The Idempotency-Key header, if the caller sent one. */
  readonly key: string | undefined;
  /** What makes two requests the same request; a key reused with other content is refused. */
  readonly content: unknown;
}

/**
 * The Idempotency-Key protocol: `execute` runs at most once per key with a final answer, which
 * repeats get back (marked `Idempotent-Replayed`); a key in use by a request still running gets
 * 409, a key reused for another request 422. `execute` gets the MS-RequestId to send upstream:
 * the same for every attempt under one key, a fresh one without a key.
 */
export async function idempotently(
  store: IdempotencyStore,
  request: IdempotentRequest,
  { caller, call, problem }: Pick<RequestScope, 'caller' | 'call' | 'problem'>,
  execute: (requestId: string) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  if (request.key === undefined) return execute(randomUUID());

  const key = keyOfCaller(caller, request.key);
  const claim = await store.claim(request.scope, key, requestHash(request));
  switch (claim.kind) {
    case 'replay':
      return replay(claim.response);
    case 'mismatch':
      return problem({
        status: 422,
        type: 'idempotency-key-reused',
        detail: 'This Idempotency-Key was already used with a different request.',
      });
    case 'in-flight':
      return problem({
        status: 409,
        type: 'request-in-flight',
        detail: 'A request with this Idempotency-Key is still being processed; retry later.',
        // The first request's answer is usually a second or two away.
        headers: { 'retry-after': '1' },
      });
    case 'claimed': {
      // The caller's answer matters more than the key's bookkeeping: if settling fails, the key
      // stays claimed and a repeat takes it over after the claim timeout, same MS-RequestId.
      const settle = async (update: () => Promise<void>): Promise<void> => {
        try {
          await update();
        } catch (error) {
          call.logger.error('Could not settle the Idempotency-Key record', {
            error: describeError(error),
          });
        }
      };
      let response: HttpResponseInit;
      try {
        response = await execute(claim.requestId);
      } catch (error) {
        await settle(() => store.release(request.scope, key, claim.etag));
        throw error;
      }
      await settle(() =>
        FINAL_STATUSES.has(response.status ?? 200)
          ? store.complete(request.scope, key, claim.etag, toStored(response))
          : store.release(request.scope, key, claim.etag),
      );
      return response;
    }
  }
}

/**
 * An Idempotency-Key is the caller's own: two callers who pick the same key for the same scope
 * never share an answer (with inbound authentication on; without it, every caller is one).
 */
function keyOfCaller(caller: RequestScope['caller'], key: string): string {
  return caller === undefined ? key : JSON.stringify([caller.appId ?? null, caller.subject, key]);
}

/** The same scope and content, whatever the order of the content's properties. */
function requestHash({ scope, content }: IdempotentRequest): string {
  const entries =
    typeof content === 'object' && content !== null
      ? Object.entries(content).sort(([a], [b]) => a.localeCompare(b))
      : content;
  return createHash('sha256')
    .update(JSON.stringify([scope, entries]))
    .digest('hex');
}

/** The response as it leaves the handler: the edge adds this request's own correlation id later. */
function toStored(response: HttpResponseInit): StoredResponse {
  return {
    status: response.status ?? 200,
    headers: Object.fromEntries(new Headers(response.headers)),
    body: typeof response.body === 'string' ? response.body : '',
  };
}

function replay(stored: StoredResponse): HttpResponseInit {
  recordIdempotentReplay();
  return {
    status: stored.status,
    headers: { ...stored.headers, 'idempotent-replayed': 'true' },
    body: stored.body,
  };
}
