import { describe, expect, it } from 'vitest';
import { SEEDED_CUSTOMERS, simulatorToken } from '../../dev/partner-center-simulator/index.js';
import {
  APP_ONLY,
  APP_USER,
  apiFault,
  json,
  jwt,
  qualificationsPath,
  useSimulator,
} from './sim-client.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const C = SEEDED_CUSTOMERS;
const READ = qualificationsPath(C.educationApproved);
const CREATE = qualificationsPath(C.noQualifications);
const SOE = { qualification: 'StateOwnedEntity' };
const WWW_AUTHENTICATE = /^OAuth realm=urn:cpsvc:cpid:\S+$/;

const sim = useSimulator({ now: () => NOW });

describe('401 for a missing or unusable token', () => {
  it('rejects a request without Authorization, with WWW-Authenticate', async () => {
    const res = await sim.get(READ, { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(WWW_AUTHENTICATE);
    expect(await json(res)).toStrictEqual(
      apiFault(401, 'The request has no Authorization header with a Bearer token.'),
    );
  });

  it.each([
    ['a non-Bearer scheme', { Authorization: 'Basic dXNlcjpwYXNz' }, 'is not a Bearer token'],
    ['an empty Bearer', { Authorization: 'Bearer ' }, 'is not a Bearer token'],
    ['a JWT whose payload is not JSON', { Authorization: 'Bearer aaaa.bbbb.cccc' }, 'well-formed'],
    [
      'an expired JWT',
      { Authorization: `Bearer ${jwt({ idtyp: 'app', exp: NOW_SECONDS - 1 })}` },
      'expired',
    ],
  ])('rejects %s', async (_name, headers, text) => {
    const res = await sim.get(READ, { token: null, headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(WWW_AUTHENTICATE);
    expect(await json(res)).toStrictEqual(apiFault(401, expect.stringContaining(text)));
  });

  it('accepts a JWT whose exp is still ahead of the injected clock', async () => {
    const res = await sim.get(READ, { token: jwt({ idtyp: 'app', exp: NOW_SECONDS + 60 }) });
    expect(res.status).toBe(200);
  });
});

describe('MFA on App+User tokens (900421)', () => {
  it.each([
    ['scp without amr', { scp: 'user_impersonation' }],
    ['idtyp user with amr [pwd]', { idtyp: 'user', amr: ['pwd'] }],
    ['scp with amr not an array', { scp: 'user_impersonation', amr: 'mfa' }],
  ])('answers 401 / 900421 for %s, on reads and writes', async (_name, claims) => {
    const token = jwt(claims);
    for (const res of [await sim.get(READ, { token }), await sim.post(CREATE, SOE, { token })]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(WWW_AUTHENTICATE);
      expect(await json(res)).toStrictEqual(
        apiFault(900421, expect.stringContaining('Multi-factor authentication is required')),
      );
    }
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([]);
  });
});

describe('app-only tokens', () => {
  const forbidden = apiFault(
    403,
    'The supplied role does not have the rights to perform the requested operation.',
  );

  it.each([
    ['an opaque token', 'x'],
    ['a JWT with idtyp app', jwt({ idtyp: 'app', roles: [] })],
    ['a JWT with neither idtyp nor scp', jwt({ roles: ['Partner.Read'] })],
    ['simulatorToken(app-only)', APP_ONLY],
    ['idtyp app even with scp', jwt({ idtyp: 'app', scp: 'x', amr: ['mfa'] })],
  ])('lets %s read but answers 403 on POST', async (_name, token) => {
    expect((await sim.get(READ, { token })).status).toBe(200);
    expect((await sim.get('/v1/customers/all/validations', { token })).status).toBe(200);
    const res = await sim.post(CREATE, SOE, { token });
    expect(res.status).toBe(403);
    expect(await json(res)).toStrictEqual(forbidden);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([]);
  });
});

describe('App+User tokens with MFA', () => {
  it.each([
    ['simulatorToken(app+user)', APP_USER],
    ['a JWT with scp and amr [pwd, mfa]', jwt({ scp: 'user_impersonation', amr: ['pwd', 'mfa'] })],
    ['a JWT with idtyp user and amr [mfa]', jwt({ idtyp: 'user', amr: ['mfa'] })],
  ])('lets %s create', async (_name, token) => {
    const res = await sim.post(CREATE, SOE, { token });
    expect(res.status).toBe(201);
    expect(await sim.qualificationsOf(C.noQualifications)).toStrictEqual([SOE]);
  });

  it('builds simulatorToken as three base64url parts with the documented claims', () => {
    const parts = simulatorToken('app+user').split('.');
    expect(parts).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString()) as unknown;
    expect(payload).toMatchObject({
      idtyp: 'user',
      amr: expect.arrayContaining(['mfa']) as unknown,
    });
    const appOnly = simulatorToken('app-only').split('.')[1] ?? '';
    expect(JSON.parse(Buffer.from(appOnly, 'base64url').toString())).toMatchObject({
      idtyp: 'app',
    });
  });
});

describe('the request log records the token kind, never the token', () => {
  it('replaces authorization by none / invalid / app-only / app+user', async () => {
    await sim.get(READ, { token: null });
    await sim.get(READ, { token: null, headers: { Authorization: 'Basic abc' } });
    await sim.get(READ, { token: 'opaque-secret' });
    await sim.get(READ, { token: APP_USER });
    await sim.get(READ, { token: jwt({ scp: 'x' }) });
    const log = await sim.requests();
    expect(log.map((entry) => entry.headers.authorization)).toStrictEqual([
      'none',
      'invalid',
      'app-only',
      'app+user',
      'app+user',
    ]);
    expect(JSON.stringify(log)).not.toContain('opaque-secret');
    expect(JSON.stringify(log)).not.toContain(APP_USER);
  });
});
