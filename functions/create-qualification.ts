import { createHash, randomUUID } from 'node:crypto';
import type { HttpFunctionOptions, HttpResponseInit } from '@azure/functions';
import { operations } from '../shared/api/operations.js';
import { createQualificationHeadersSchema, customerPathSchema } from '../shared/api/schemas.js';
import {
  submitQualification,
  type SubmitQualificationDeps,
} from '../shared/application/submit-qualification.js';
import type { CustomerId } from '../shared/domain/customer-id.js';
import type { IdempotencyStore, StoredResponse } from '../shared/domain/idempotency.js';
import type { CallerAccess } from '../shared/http/caller-access.js';
import { httpEndpoint, type RequestScope } from '../shared/http/http-endpoint.js';
import { jsonResponse } from '../shared/http/problem.js';
import {
  parseQualificationBody,
  type CreateQualificationBody,
} from '../shared/http/qualification-body.js';
import { parseRequestPart } from '../shared/http/request-validation.js';
import { upstreamProblem } from '../shared/http/upstream-problem.js';
import { describeError } from '../shared/logging/redact.js';
import { recordIdempotentReplay } from '../shared/telemetry/gateway-signals.js';

export interface CreateQualificationDeps extends SubmitQualificationDeps {
  readonly idempotency: IdempotencyStore;
}

/** Answers that are final for this request: replayed for the same Idempotency-Key. */
const FINAL_STATUSES = new Set([201, 400, 404, 409]);

export function createQualificationFunction(
  access: CallerAccess,
  deps: CreateQualificationDeps,
): HttpFunctionOptions {
  return httpEndpoint(operations.createQualification, access, async (scope) => {
    const { request, problem } = scope;
    const path = parseRequestPart(customerPathSchema, request.params, 'path');
    if (!path.ok) return problem(path.problem);
    const headers = parseRequestPart(
      createQualificationHeadersSchema,
      { 'idempotency-key': request.headers.get('idempotency-key') ?? undefined },
      'headers',
    );
    if (!headers.ok) return problem(headers.problem);
    const body = parseQualificationBody(scope.body);
    if (!body.ok) return problem(body.problem);

    const customerId = path.value.customerId;
    const key = headers.value['idempotency-key'];
    if (key === undefined) return submit(deps, scope, customerId, body.value, randomUUID());

    const scopedKey = keyOfCaller(scope, key);
    const claim = await deps.idempotency.claim(
      customerId,
      scopedKey,
      requestHash(customerId, body.value),
    );
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
          headers: { 'retry-after': '1' },
        });
      case 'claimed': {
        let response: HttpResponseInit;
        try {
          response = await submit(deps, scope, customerId, body.value, claim.requestId);
        } catch (error) {
          // Nothing final to keep: a repeat runs again, with the same MS-RequestId.
          await settleKey(() => deps.idempotency.release(customerId, scopedKey, claim.etag), scope);
          throw error;
        }
        // A final answer is kept for repeats; any other lets a repeat run again with the same
        // MS-RequestId, so Partner Center still applies the submission at most once.
        await settleKey(
          () =>
            FINAL_STATUSES.has(response.status ?? 200)
              ? deps.idempotency.complete(customerId, scopedKey, claim.etag, toStored(response))
              : deps.idempotency.release(customerId, scopedKey, claim.etag),
          scope,
        );
        return response;
      }
    }
  });
}

async function submit(
  deps: CreateQualificationDeps,
  { call, problem }: RequestScope,
  customerId: CustomerId,
  body: CreateQualificationBody,
  requestId: string,
): Promise<HttpResponseInit> {
  const outcome = await submitQualification(deps, { customerId, request: body, requestId }, call);
  if (outcome.kind === 'upstream-failed')
    return problem(upstreamProblem(outcome.failure, call.logger));
  if (outcome.kind === 'too-many-open') {
    return problem({
      status: 429,
      type: 'too-many-submissions-in-flight',
      detail:
        'This customer has as many submissions awaiting Partner Center as it may; retry once they are settled.',
      headers: { 'retry-after': String(outcome.retryAfterSeconds) },
    });
  }
  return jsonResponse(201, outcome.qualification, {
    location: `/api/v1/customers/${customerId}/qualifications`,
    ...(!outcome.recorded && { 'gateway-recorded': 'false' }),
  });
}

/**
 * The caller's answer matters more than the key's bookkeeping: if storing it fails, the key stays
 * claimed and a repeat takes it over after the claim timeout, with the same MS-RequestId.
 */
async function settleKey(update: () => Promise<void>, { call }: RequestScope): Promise<void> {
  try {
    await update();
  } catch (error) {
    call.logger.error('Could not settle the Idempotency-Key record', {
      error: describeError(error),
    });
  }
}

/**
 * An Idempotency-Key is the caller's own: two callers who pick the same key for the same customer
 * never share an answer (with inbound authentication on; without it, every caller is one).
 */
function keyOfCaller({ caller }: RequestScope, key: string): string {
  return caller === undefined ? key : JSON.stringify([caller.appId ?? null, caller.subject, key]);
}

function requestHash(customerId: string, body: CreateQualificationBody): string {
  const canonical = JSON.stringify([
    customerId,
    Object.entries(body).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function toStored(response: HttpResponseInit): StoredResponse {
  const headers = Object.fromEntries(new Headers(response.headers));
  delete headers['x-correlation-id'];
  return {
    status: response.status ?? 200,
    headers,
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
