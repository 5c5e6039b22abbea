import { describe, expect, it } from 'vitest';
import { authorize, hasRole } from '../../shared/auth/access-policy.js';
import type { AuthResult, Principal } from '../../shared/auth/auth-result.js';

function callerWith(...roles: string[]): Principal {
  return { subject: 'caller', appId: 'app', tenantId: 'tenant', roles, token: 'token' };
}

const authenticated = (principal: Principal): AuthResult => ({ ok: true, principal });

describe('access policy', () => {
  it('allows a caller holding the required role', () => {
    const reader = callerWith('Qualifications.Read');
    expect(authorize(authenticated(reader), 'Qualifications.Read')).toEqual({
      decision: 'allow',
      principal: reader,
    });
    const writer = callerWith('Qualifications.Write');
    expect(authorize(authenticated(writer), 'Qualifications.Write')).toEqual({
      decision: 'allow',
      principal: writer,
    });
  });

  it('forbids a caller without the role, and Write does not imply Read or the reverse', () => {
    const reader = callerWith('Qualifications.Read');
    const writer = callerWith('Qualifications.Write');
    expect(authorize(authenticated(reader), 'Qualifications.Write')).toEqual({
      decision: 'forbidden',
      principal: reader,
    });
    expect(authorize(authenticated(writer), 'Qualifications.Read')).toEqual({
      decision: 'forbidden',
      principal: writer,
    });
    expect(authorize(authenticated(callerWith()), 'Qualifications.Read').decision).toBe(
      'forbidden',
    );
  });

  it('lets a caller with both roles do both', () => {
    const both = authenticated(callerWith('Qualifications.Read', 'Qualifications.Write'));
    expect(authorize(both, 'Qualifications.Read').decision).toBe('allow');
    expect(authorize(both, 'Qualifications.Write').decision).toBe('allow');
  });

  it('reports an unauthenticated caller with the reason', () => {
    expect(authorize({ ok: false, reason: 'expired' }, 'Qualifications.Read')).toEqual({
      decision: 'unauthenticated',
      reason: 'expired',
    });
  });

  it('matches role names exactly', () => {
    const lookalike = callerWith('qualifications.write', 'Qualifications.Write ', 'Qualifications');
    expect(hasRole(lookalike, 'Qualifications.Write')).toBe(false);
    expect(hasRole(lookalike, 'Qualifications.Read')).toBe(false);
    expect(hasRole(callerWith('Qualifications.Write'), 'Qualifications.Write')).toBe(true);
  });
});
