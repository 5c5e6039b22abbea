/**
 * The deployment package serving real HTTP: `npm run package`'s bundled `main` (one file with
 * its dependencies, what it loads on first need beside it) imported as the Functions worker
 * imports it, its registrations served by the local host, against the simulator and Azurite.
 * What the rest of the suite proves on the sources, this proves holds once bundled.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readHostJson } from '../../dev/local-host/host-json.js';
import { startLocalHost, type LocalHost } from '../../dev/local-host/http-server.js';
import { importPackageRegistrations } from '../../dev/local-host/package-registrations.js';
import { packageApp } from '../../dev/package-app.js';
import { SimulatorControl } from '../../dev/partner-center-simulator/control-client.js';
import { startSimulator, type RunningSimulator } from '../../dev/partner-center-simulator/index.js';
import { operations } from '../../shared/api/operations.js';
import { REFRESH_PENDING_VETTING } from '../../functions/register-functions.js';

let out: string;
let simulatorProcess: RunningSimulator;
let simulator: SimulatorControl;
let host: LocalHost;
let api: string;
let functionNames: string[];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'gateway-bundle-'));
  const { app } = await packageApp(out);
  simulatorProcess = await startSimulator({ port: 0 });
  simulator = new SimulatorControl(simulatorProcess.url);

  // main reads its app settings from the environment, as the Functions host sets them.
  const settings: Record<string, string> = {
    PARTNER_CENTER_BASE_URL: simulatorProcess.url,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    PARTNER_CENTER_TIMEOUT_MS: '5000',
    STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
    STORAGE_TABLE_PREFIX: `b${randomBytes(6).toString('hex')}`,
  };
  const before = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  let registrar;
  try {
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as {
      main: string;
    };
    registrar = await importPackageRegistrations(join(app, manifest.main));
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  }
  functionNames = [
    ...registrar.httpRegistrations.map((r) => r.name),
    ...registrar.timerRegistrations.map((r) => r.name),
  ];
  const { routePrefix } = await readHostJson(join(app, 'host.json'));
  host = await startLocalHost({ registrar, routePrefix, runTimers: false, log: () => undefined });
  api = `${host.url}/api/v1`;
}, 300_000);

afterAll(async () => {
  await host.close();
  await simulatorProcess.close();
  await rm(out, { recursive: true, force: true });
});

describe('the bundled deployment package, served over HTTP', () => {
  it('registers every function, the timer included', () => {
    expect(functionNames.sort()).toEqual(
      [
        ...Object.values(operations).map((operation) => operation.functionName),
        REFRESH_PENDING_VETTING,
      ].sort(),
    );
  });

  it('answers a GET from Partner Center, then from its cache', async () => {
    const customerId = await simulator.createCustomer([
      { qualification: 'Education', vettingStatus: 'Approved' },
    ]);
    const url = `${api}/customers/${customerId}/qualifications`;

    const live = await fetch(url);
    expect(live.status).toBe(200);
    expect(live.headers.get('etag')).toMatch(/^W\/"/);
    expect(await live.json()).toMatchObject({
      customerId,
      qualifications: [{ qualification: 'Education', vettingStatus: 'Approved' }],
      source: 'partner-center',
      stale: false,
    });
    const cached = await fetch(url);
    expect(await cached.json()).toMatchObject({ customerId, source: 'cache' });
  });

  it('answers a POST with 201, applied once upstream, and refuses a bad body with 400', async () => {
    const customerId = await simulator.createCustomer();
    const url = `${api}/customers/${customerId}/qualifications`;
    const post = (body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const created = await post({ qualification: 'Education', educationSegment: 'K12' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/v1/customers/${customerId}/qualifications`);
    expect(await created.json()).toMatchObject({ qualification: 'Education' });
    const posts = (await simulator.requests()).filter(
      (r) => r.method === 'POST' && r.path.includes(customerId),
    );
    expect(posts).toHaveLength(1);

    const refused = await post({ qualification: 'Nonprofit' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // Right after, the cache shows the submission, pending.
    expect(await (await fetch(url)).json()).toMatchObject({
      qualifications: [{ qualification: 'Education', vettingStatus: 'InReview' }],
    });
  });
});
