import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeSegment } from '../local-host/route-template.js';
import { controlError, invalidBody, type ControlAnswer } from './control-answer.js';
import { createCustomers, decideQualification, listCustomers } from './control-customers.js';
import type { SimulatorContext } from './context.js';
import { faultSpecSchema } from './faults.js';
import { parseJson, readBody, writeJson } from './http-io.js';
import { settingsPatchSchema } from './settings.js';

// Bulk seeding of 100,000 customers fits well inside this.
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

type Handler = (ctx: SimulatorContext, body: unknown, params: readonly string[]) => ControlAnswer;

interface ControlRoute {
  /** Path segments after /_simulator; '*' matches any one segment and becomes a param. */
  pattern: readonly string[];
  methods: Readonly<Partial<Record<string, Handler>>>;
}

const ROUTES: readonly ControlRoute[] = [
  {
    pattern: ['customers'],
    methods: {
      GET: (ctx) => listCustomers(ctx),
      POST: (ctx, body) => createCustomers(ctx, body),
    },
  },
  {
    pattern: ['customers', '*', 'qualifications', '*', 'decision'],
    methods: {
      POST: (ctx, body, [customerId = '', qualification = '']) =>
        decideQualification(ctx, customerId, qualification, body),
    },
  },
  {
    pattern: ['faults'],
    methods: {
      GET: (ctx) => ({ status: 200, body: ctx.faults.list() }),
      POST: (ctx, body) => {
        const parsed = faultSpecSchema.safeParse(body);
        if (!parsed.success) return invalidBody('Invalid fault.', parsed.error);
        return { status: 201, body: ctx.faults.add(parsed.data) };
      },
      DELETE: (ctx) => {
        ctx.faults.clear();
        return { status: 204 };
      },
    },
  },
  {
    pattern: ['requests'],
    methods: {
      GET: (ctx) => ({ status: 200, body: ctx.requests.list() }),
      DELETE: (ctx) => {
        ctx.requests.clear();
        return { status: 204 };
      },
    },
  },
  {
    pattern: ['reset'],
    methods: {
      POST: (ctx) => {
        ctx.reset();
        return { status: 204 };
      },
    },
  },
  {
    pattern: ['settings'],
    methods: {
      GET: (ctx) => ({ status: 200, body: ctx.settings }),
      PUT: (ctx, body) => {
        const parsed = settingsPatchSchema.safeParse(body);
        if (!parsed.success) return invalidBody('Invalid settings.', parsed.error);
        ctx.updateSettings(parsed.data);
        return { status: 200, body: ctx.settings };
      },
    },
  },
];

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** /_simulator/…: no auth, JSON in and out. */
export async function handleControl(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const text = await readBody(req, BODY_LIMIT_BYTES);
  const answer = answerControl(ctx, (req.method ?? 'GET').toUpperCase(), url.pathname, text);
  const headers: Record<string, string> = {};
  if (answer.status === 405) headers.Allow = allowedMethods(url.pathname).join(', ');
  writeJson(res, answer.status, answer.body, headers);
}

function answerControl(
  ctx: SimulatorContext,
  method: string,
  pathname: string,
  text: string | undefined,
): ControlAnswer {
  const match = matchRoute(pathname);
  if (match === undefined) return controlError(404, `No simulator control endpoint ${pathname}.`);
  const handler = match.route.methods[method];
  if (handler === undefined) {
    return controlError(405, `${method} is not allowed on ${pathname}.`);
  }
  if (text === undefined) return controlError(413, 'The request body is larger than 64 MiB.');
  let body: unknown;
  if (METHODS_WITH_BODY.has(method) && text.trim() !== '') {
    const parsed = parseJson(text);
    if (!parsed.ok) return controlError(400, `The body is not valid JSON: ${parsed.message}`);
    body = parsed.value;
  }
  return handler(ctx, body, match.params);
}

function matchRoute(pathname: string): { route: ControlRoute; params: string[] } | undefined {
  const segments = pathname.split('/').slice(2);
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: string[] = [];
    const fits = route.pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part === '*') {
        params.push(decodeSegment(segment));
        return segment !== '';
      }
      return part === segment;
    });
    if (fits) return { route, params };
  }
  return undefined;
}

function allowedMethods(pathname: string): string[] {
  return Object.keys(matchRoute(pathname)?.route.methods ?? {});
}
