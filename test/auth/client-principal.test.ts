import { describe, expect, it } from 'vitest';
import { principalFromClientPrincipalHeader } from '../../shared/auth/client-principal.js';

const ROLE_TYPE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

/** Shaped like what App Service Authentication sends for an Entra ID bearer token. */
const easyAuthPrincipal = {
  auth_typ: 'aad',
  name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  role_typ: ROLE_TYPE,
  claims: [
    { typ: 'aud', val: 'api://partner-qualifications-gateway' },
    { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: 'sub-1' },
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' },
    { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: 'tenant-1' },
    { typ: 'azp', val: 'client-app' },
    { typ: ROLE_TYPE, val: 'Qualifications.Read' },
    { typ: 'roles', val: 'Qualifications.Write' },
    { typ: 'roles', val: 'Qualifications.Read' },
  ],
};

describe('principalFromClientPrincipalHeader', () => {
  it('reads the caller App Service Authentication vouched for', () => {
    expect(principalFromClientPrincipalHeader(encode(easyAuthPrincipal))).toEqual({
      ok: true,
      principal: {
        subject: 'sub-1',
        appId: 'client-app',
        tenantId: 'tenant-1',
        roles: ['Qualifications.Read', 'Qualifications.Write'],
        token: undefined,
      },
    });
  });

  it('reads short claim names, and no roles as none', () => {
    const principal = {
      auth_typ: 'aad',
      claims: [
        { typ: 'sub', val: 'sub-2' },
        { typ: 'tid', val: 'tenant-2' },
        { typ: 'appid', val: 'v1-app' },
      ],
    };
    expect(principalFromClientPrincipalHeader(encode(principal))).toEqual({
      ok: true,
      principal: {
        subject: 'sub-2',
        appId: 'v1-app',
        tenantId: 'tenant-2',
        roles: [],
        token: undefined,
      },
    });
  });

  it.each([
    ['no header', null, 'missing-token'],
    ['an empty header', '  ', 'missing-token'],
    ['garbage that is not base64', '%%%not base64!!', 'malformed'],
    ['base64 that is not JSON', Buffer.from('not json').toString('base64'), 'malformed'],
    ['JSON that is not a principal', encode({ hello: 'world' }), 'malformed'],
    [
      'a claim value that is not a string',
      encode({ auth_typ: 'aad', claims: [{ typ: 'sub', val: 1 }] }),
      'malformed',
    ],
    [
      'a principal with no subject',
      encode({ auth_typ: 'aad', claims: [{ typ: 'roles', val: 'Qualifications.Write' }] }),
      'malformed',
    ],
  ])('refuses %s', (_name, header, reason) => {
    expect(principalFromClientPrincipalHeader(header)).toMatchObject({ ok: false, reason });
  });
});
