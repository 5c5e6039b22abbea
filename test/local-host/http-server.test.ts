import azureFunctions from '@azure/functions';
import type { HttpRequest } from '@azure/functions';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startToyHost } from './toy-host.js';

const guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

async function describeRequest(request: HttpRequest): Promise<Record<string, unknown>> {
  return {
    method: request.method,
    url: request.url,
    params: request.params,
    query: [...request.query.entries()],
    header: request.headers.get('x-test'),
    body: Buffer.from(await request.arrayBuffer()).toString('base64'),
  };
}

describe('the local host: requests', () => {
  it('routes under the prefix with params, query, headers and the raw body', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('echo', {
        methods: ['POST'],
        route: 'customers/{id:guid}/echo/{name?}',
        handler: async (request) => ({ jsonBody: await describeRequest(request) }),
      });
    });
    const bytes = Uint8Array.from([0, 255, 10, 13, 0xc3]);

    const response = await fetch(`${host.url}/API/v1/customers/${guid}/echo/a%20b?x=1&x=2&y=`, {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      method: 'POST',
      url: `${host.url}/API/v1/customers/${guid}/echo/a%20b?x=1&x=2&y=`,
      params: { id: guid, name: 'a b' },
      query: [
        ['x', '1'],
        ['x', '2'],
        ['y', ''],
      ],
      header: 'yes',
      body: Buffer.from(bytes).toString('base64'),
    });
  });

  it('uses the function name as the default route, and GET and POST as default methods', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('ping', { handler: () => ({ body: 'pong' }) });
    });

    expect(await (await fetch(`${host.url}/api/v1/ping`)).text()).toBe('pong');
    expect((await fetch(`${host.url}/api/v1/ping`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${host.url}/api/v1/ping`, { method: 'PUT' })).status).toBe(404);
  });

  it('filters by method, answering 404 like the host when only the method differs', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('read', {
        methods: ['GET'],
        route: 'things',
        handler: () => ({ body: 'read' }),
      });
      registrar.http('remove', {
        methods: ['DELETE'],
        route: 'things',
        handler: () => ({ body: 'removed' }),
      });
    });

    expect(await (await fetch(`${host.url}/api/v1/things`)).text()).toBe('read');
    const deleted = await fetch(`${host.url}/api/v1/things`, { method: 'DELETE' });
    expect(await deleted.text()).toBe('removed');
    const posted = await fetch(`${host.url}/api/v1/things`, { method: 'POST' });
    expect(posted.status).toBe(404);
    expect(await posted.text()).toBe('');
  });

  it('prefers literal over parameter and constrained over unconstrained routes', async () => {
    const host = await startToyHost((registrar) => {
      const named = (name: string) => () => ({ body: name });
      registrar.http('byName', {
        methods: ['GET'],
        route: 'items/{name}',
        handler: named('byName'),
      });
      registrar.http('byNumber', {
        methods: ['GET'],
        route: 'items/{n:int}',
        handler: named('byNumber'),
      });
      registrar.http('special', {
        methods: ['GET'],
        route: 'items/special',
        handler: named('special'),
      });
    });
    const body = async (path: string) => (await fetch(`${host.url}/api/v1/${path}`)).text();

    expect(await body('items/special')).toBe('special');
    expect(await body('items/42')).toBe('byNumber');
    expect(await body('items/other')).toBe('byName');
  });

  it('answers 404 with an empty body for unknown routes and paths outside the prefix', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('ping', { handler: () => ({ body: 'pong' }) });
    });

    for (const path of ['/api/v1/nope', '/ping', '/api/ping', '/api/v1/ping/extra']) {
      const response = await fetch(`${host.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toBe('');
    }
  });

  it('serves routes at the root when the prefix is empty', async () => {
    const host = await startToyHost(
      (registrar) => {
        registrar.http('ping', { handler: () => ({ body: 'pong' }) });
      },
      { routePrefix: '' },
    );

    expect(await (await fetch(`${host.url}/ping`)).text()).toBe('pong');
    expect((await fetch(`${host.url}/api/ping`)).status).toBe(404);
  });

  it('writes context logs as [level] functionName: message', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('talk', {
        handler: (_request, context) => {
          context.log('hello', 42);
          context.warn('careful');
          return { status: 202 };
        },
      });
    });

    await fetch(`${host.url}/api/v1/talk`);

    expect(host.logs).toContain('[information] talk: hello 42');
    expect(host.logs).toContain('[warning] talk: careful');
  });
});

describe('the local host: responses', () => {
  it('returns jsonBody, status, headers and cookies', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('created', {
        handler: () => ({
          status: 201,
          jsonBody: { ok: true },
          headers: { location: '/x', 'x-multi': 'a' },
          cookies: [{ name: 'session', value: 'a b', httpOnly: true, path: '/' }],
        }),
      });
    });

    const response = await fetch(`${host.url}/api/v1/created`);

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('location')).toBe('/x');
    expect(response.headers.get('x-multi')).toBe('a');
    expect(response.headers.getSetCookie()).toEqual(['session=a%20b; Path=/; HttpOnly']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('returns an HttpResponse instance with several Set-Cookie headers as given', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('instance', {
        handler: () => {
          const headers = new Headers({ 'content-type': 'text/plain' });
          headers.append('set-cookie', 'a=1');
          headers.append('set-cookie', 'b=2');
          return new azureFunctions.HttpResponse({ status: 409, body: 'conflict', headers });
        },
      });
    });

    const response = await fetch(`${host.url}/api/v1/instance`);

    expect(response.status).toBe(409);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('conflict');
  });

  it('streams Node and web stream bodies', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('node', { handler: () => ({ body: Readable.from(['a', 'b', 'c']) }) });
      registrar.http('web', {
        handler: () => ({
          body: new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('x'));
              controller.enqueue(new TextEncoder().encode('y'));
              controller.close();
            },
          }),
        }),
      });
    });

    expect(await (await fetch(`${host.url}/api/v1/node`)).text()).toBe('abc');
    expect(await (await fetch(`${host.url}/api/v1/web`)).text()).toBe('xy');
  });

  it('answers 204 when the handler returns nothing', async () => {
    const host = await startToyHost((registrar) => {
      // The typings do not allow it, but JavaScript handlers do it and the host answers 204.
      registrar.http('nothing', {
        handler: () => undefined as unknown as azureFunctions.HttpResponse,
      });
    });

    const response = await fetch(`${host.url}/api/v1/nothing`);

    expect(response.status).toBe(204);
  });

  it('answers a bare 500 when the handler throws, and logs the error', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('broken', {
        handler: () => {
          throw new Error('secret detail');
        },
      });
      registrar.http('brokenAsync', { handler: () => Promise.reject(new Error('async detail')) });
    });

    for (const [path, detail] of [
      ['broken', 'secret detail'],
      ['brokenAsync', 'async detail'],
    ] as const) {
      const response = await fetch(`${host.url}/api/v1/${path}`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('');
      expect(
        host.logs.some((line) => line.startsWith(`[error] ${path}:`) && line.includes(detail)),
      ).toBe(true);
    }
  });
});

describe('the local host: lifecycle', () => {
  it('lists its functions at start', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('ping', { methods: ['GET'], route: 'p/{id}', handler: () => ({}) });
    });

    expect(host.logs).toContain(`[information] host: ping: [GET] ${host.url}/api/v1/p/{id}`);
  });

  it('refuses to start with a route it cannot serve', async () => {
    await expect(
      startToyHost((registrar) => {
        registrar.http('bad', { route: 'x/{id:regex(a)}', handler: () => ({}) });
      }),
    ).rejects.toThrow(/not supported/);
  });

  it('closes promptly despite keep-alive connections, after in-flight requests finish', async () => {
    const host = await startToyHost((registrar) => {
      registrar.http('quick', { handler: () => ({ body: 'quick' }) });
      registrar.http('slow', {
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return { body: 'slow' };
        },
      });
    });
    await (await fetch(`${host.url}/api/v1/quick`)).text(); // leaves a keep-alive socket open

    const slow = fetch(`${host.url}/api/v1/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedClosing = Date.now();
    await host.close();

    expect(Date.now() - startedClosing).toBeLessThan(2000);
    const response = await slow;
    expect(await response.text()).toBe('slow');
    await expect(fetch(`${host.url}/api/v1/quick`)).rejects.toThrow();
  });
});
