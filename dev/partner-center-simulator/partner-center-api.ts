import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiFault, genericFault, throttled, type SimResponse } from './api-fault.js';
import type { SimulatorContext } from './context.js';
import { faultAnswer, type Fault } from './faults.js';
import { readBody, writeResponse } from './http-io.js';
import {
  createQualification,
  getQualifications,
  listValidations,
} from './partner-center-handlers.js';
import { describeRequest } from './request-log.js';
import { checkAuthorization, type TokenCheck } from './token-kind.js';

const BODY_LIMIT_BYTES = 1024 * 1024;
const SERVER_ID = 'partner-center-simulator';
const WWW_AUTHENTICATE = 'OAuth realm=urn:cpsvc:cpid:api.partnercenter.microsoft.com';

interface Envelope {
  requestId: string;
  correlationId: string;
  cv: string;
}

/** One /v1 request: log it, let a fault intervene, answer like Partner Center. */
export async function handlePartnerCenter(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const text = await readBody(req, BODY_LIMIT_BYTES);
  const arrivedAt = ctx.now();
  const suppliedRequestId = header(req, 'ms-requestid');
  const envelope: Envelope = {
    requestId: suppliedRequestId ?? randomUUID(),
    correlationId: header(req, 'ms-correlationid') ?? randomUUID(),
    cv: nextCorrelationVector(header(req, 'ms-cv')),
  };
  const auth = checkAuthorization(header(req, 'authorization'), arrivedAt);
  ctx.requests.add(describeRequest(req, url, text, auth.kind, arrivedAt));
  const method = (req.method ?? 'GET').toUpperCase();
  const send = (answer: SimResponse): void => {
    writeV1(res, answer, envelope, ctx.now());
  };

  const fault = ctx.faults.take(method, url.pathname);
  if (fault?.phase === 'before' && (await interveneBefore(ctx, res, fault, send))) return;

  const answer =
    text === undefined
      ? genericFault(413, 'The request body is larger than 1 MiB.')
      : answerPartnerCenter(ctx, { method, url, text, auth, requestId: suppliedRequestId });

  if (fault?.phase === 'after') await interveneAfter(ctx, res, fault, answer, send);
  else send(answer);
}

/** True when the fault answered (or withheld the answer) and the request must not proceed. */
async function interveneBefore(
  ctx: SimulatorContext,
  res: ServerResponse,
  fault: Fault,
  send: (answer: SimResponse) => void,
): Promise<boolean> {
  if (fault.delayMs !== undefined) await ctx.sleep(fault.delayMs);
  if (fault.reset === true) {
    res.destroy();
    return true;
  }
  if (fault.status === undefined) return false;
  // status 0: never answer; the socket stays open until the client gives up or close().
  if (fault.status !== 0) send(faultAnswer(fault, fault.status));
  return true;
}

/** The effect already happened (and a POST's answer is stored); only its delivery is faulty. */
async function interveneAfter(
  ctx: SimulatorContext,
  res: ServerResponse,
  fault: Fault,
  answer: SimResponse,
  send: (answer: SimResponse) => void,
): Promise<void> {
  if (fault.delayMs !== undefined) await ctx.sleep(fault.delayMs);
  if (fault.reset === true) res.destroy();
  else if (fault.status === undefined) send(answer);
  else if (fault.status !== 0) send(faultAnswer(fault, fault.status));
}

interface V1Request {
  method: string;
  url: URL;
  text: string;
  auth: TokenCheck;
  requestId: string | undefined;
}

type Route = { name: 'qualifications'; customerId: string } | { name: 'validations' };

const ALLOWED_METHODS: Readonly<Record<Route['name'], readonly string[]>> = {
  qualifications: ['GET', 'POST'],
  validations: ['GET'],
};

function answerPartnerCenter(ctx: SimulatorContext, request: V1Request): SimResponse {
  const retryAfter = ctx.throttle();
  if (retryAfter !== undefined) return throttled(retryAfter);

  const { auth, method, url } = request;
  if (auth.kind === 'none') {
    return unauthorized(401, 'The request has no Authorization header with a Bearer token.');
  }
  if (auth.kind === 'invalid') return unauthorized(401, auth.reason);
  if (auth.kind === 'app+user' && !auth.mfa) {
    return unauthorized(
      900421,
      'Multi-factor authentication is required: the App+User access token has no "mfa" ' +
        'in its amr claim.',
    );
  }

  const route = matchRoute(url.pathname);
  if (route === undefined) {
    return genericFault(404, `No Partner Center resource at ${url.pathname}.`);
  }
  const allowed = ALLOWED_METHODS[route.name];
  if (!allowed.includes(method)) {
    return {
      ...genericFault(405, `The method ${method} is not allowed on ${url.pathname}.`),
      headers: { Allow: allowed.join(', ') },
    };
  }
  if (route.name === 'validations') return listValidations(ctx.state);
  if (method === 'GET') return getQualifications(ctx.state, route.customerId);

  if (auth.kind === 'app-only') {
    return genericFault(
      403,
      'The supplied role does not have the rights to perform the requested operation.',
    );
  }
  const replayed = request.requestId === undefined ? undefined : ctx.replays.get(request.requestId);
  if (replayed !== undefined) return replayed;
  const answer = createQualification(
    ctx.state,
    ctx.now(),
    route.customerId,
    request.text,
    legacyCode(url),
  );
  if (request.requestId !== undefined) ctx.replays.set(request.requestId, answer);
  return answer;
}

function unauthorized(code: number, description: string): SimResponse {
  return apiFault(401, code, description, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}

/** Literal segments are case-insensitive, as in ASP.NET routing. */
function matchRoute(pathname: string): Route | undefined {
  const [empty, v1, customers, id, leaf, ...rest] = pathname.split('/');
  if (empty !== '' || v1 !== 'v1' || customers?.toLowerCase() !== 'customers') return undefined;
  if (id === undefined || id === '' || rest.length > 0) return undefined;
  const last = leaf?.toLowerCase();
  if (last === 'qualifications') return { name: 'qualifications', customerId: id };
  if (last === 'validations' && id.toLowerCase() === 'all') return { name: 'validations' };
  return undefined;
}

/** The deprecated contract passed the GCC code as `?code=`; query names are case-insensitive. */
function legacyCode(url: URL): string | undefined {
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === 'code') return value;
  }
  return undefined;
}

function writeV1(res: ServerResponse, answer: SimResponse, envelope: Envelope, now: Date): void {
  const payload =
    answer.verbatim === true && typeof answer.body === 'string'
      ? answer.body
      : JSON.stringify(answer.body);
  writeResponse(
    res,
    answer.status,
    {
      'Content-Type': 'application/json; charset=utf-8',
      'MS-RequestId': envelope.requestId,
      'MS-CorrelationId': envelope.correlationId,
      'MS-CV': envelope.cv,
      'MS-ServerId': SERVER_ID,
      Date: now.toUTCString(),
      ...answer.headers,
    },
    payload,
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/** A caller's correlation vector is extended; without one the simulator starts a new one. */
function nextCorrelationVector(incoming: string | undefined): string {
  return incoming === undefined ? `${randomBytes(12).toString('base64')}.0` : `${incoming}.0`;
}
