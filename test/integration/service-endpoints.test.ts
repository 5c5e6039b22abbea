import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { CollectingRegistrar } from '../../dev/local-host/collecting-registrar.js';
import { registerFunctions } from '../../functions/register-functions.js';
import { SEEDED_VALIDATION_CODES } from '../../dev/partner-center-simulator/index.js';
import { startTestGateway, useTestGateway } from '../support/test-gateway.js';

const env = useTestGateway();

describe('GET /validation-codes', () => {
  it("lists the partner's validation codes from Partner Center", async () => {
    const response = await fetch(`${env.api}/validation-codes`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { validationCodes: { validationId: string }[] };
    expect(body.validationCodes.map((c) => c.validationId)).toEqual(
      SEEDED_VALIDATION_CODES.map((c) => c.validationId),
    );
    const [call] = await env.simulator.requests();
    expect(call?.path).toBe('/v1/customers/all/validations');
    expect(call?.headers.authorization).toBe('app-only');
  });

  it('maps an upstream failure to a problem', async () => {
    await env.simulator.fault({ path: '/v1/customers/all/validations', status: 500, times: 10 });
    const response = await fetch(`${env.api}/validation-codes`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 503 with Retry-After when throttled beyond the deadline', async () => {
    await env.simulator.fault({
      path: '/v1/customers/all/validations',
      status: 429,
      retryAfterSeconds: 57,
    });
    const response = await fetch(`${env.api}/validation-codes`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('57');
  });

  it('does not follow an upstream redirect', async () => {
    await env.simulator.fault({ path: '/v1/customers/all/validations', status: 307, times: 1 });
    const response = await fetch(`${env.api}/validation-codes`);
    expect(response.status).toBe(502);
    expect(await env.simulator.requests()).toHaveLength(1);
  });
});

describe('GET /health', () => {
  it('is 200 when storage and Partner Center are usable', async () => {
    const response = await fetch(`${env.api}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: {
        storage: 'ok',
        partnerCenter: 'ok',
        appOnlyCredential: 'ok',
        appUserCredential: 'ok',
        events: 'ok',
      },
    });
    expect(await env.simulator.requests()).toHaveLength(0);
  });
});

describe('circuit breaker', () => {
  it('fails fast after repeated upstream failures and reports it in health', async () => {
    const breaking = await startTestGateway({
      settings: {
        PARTNER_CENTER_MAX_RETRIES: '0',
        PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: '3',
        PARTNER_CENTER_CIRCUIT_OPEN_SECONDS: '60',
      },
    });
    try {
      await breaking.simulator.fault({ status: 503, times: 100 });
      for (let i = 0; i < 3; i++) {
        expect((await fetch(`${breaking.api}/validation-codes`)).status).toBe(502);
      }
      await breaking.simulator.clearRequests();
      const refused = await fetch(`${breaking.api}/validation-codes`);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await breaking.simulator.requests()).toHaveLength(0);
      const health = await fetch(`${breaking.api}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({
        status: 'fail',
        checks: {
          storage: 'ok',
          partnerCenter: 'fail',
          appOnlyCredential: 'ok',
          appUserCredential: 'ok',
          events: 'ok',
        },
      });
    } finally {
      await breaking.close();
    }
  });
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document describing every route', async () => {
    const response = await fetch(`${env.api}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe('3.1.0');
    // The served document is the committed artifact client generators read.
    expect(document).toEqual(JSON.parse(await readFile('docs/openapi.json', 'utf8')));
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // What client generators need: tags and summaries, a required body, 503 where storage is
    // used, a license and the package's version.
    const full = document as unknown as {
      info: { version: string; license?: { name: string } };
      paths: Record<
        string,
        Record<
          string,
          {
            tags?: string[];
            summary?: string;
            requestBody?: { required?: boolean };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(full.info.version).toBe(manifest.version);
    expect(full.info.license?.name).toBe('MIT');
    for (const [route, methods] of Object.entries(full.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.tags?.length, `${method} ${route}`).toBe(1);
        expect(operation.summary, `${method} ${route}`).toBeTruthy();
        if (method === 'post') expect(operation.requestBody?.required).toBe(true);
        if (route !== '/openapi.json' && route !== '/validation-codes') {
          expect(Object.keys(operation.responses), `${method} ${route}`).toContain('503');
        }
      }
    }
    // Every function the gateway registers is described, under its route and method.
    const registrar = new CollectingRegistrar();
    registerFunctions(registrar, env.gateway.services);
    expect(registrar.httpRegistrations.length).toBeGreaterThanOrEqual(4);
    for (const { options } of registrar.httpRegistrations) {
      const path = document.paths[`/${options.route ?? ''}`];
      for (const method of options.methods ?? []) {
        expect(path?.[method.toLowerCase()], `${method} ${options.route ?? ''}`).toBeDefined();
      }
    }
  });
});
