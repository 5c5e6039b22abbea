import type { AuthFailureReason, AuthResult, Principal } from './auth-result.js';

export type AppRole = 'Qualifications.Read' | 'Qualifications.Write';

export type AccessDecision =
  | { readonly decision: 'allow'; readonly principal: Principal }
  | { readonly decision: 'unauthenticated'; readonly reason: AuthFailureReason }
  | { readonly decision: 'forbidden'; readonly principal: Principal };

/**
 * App role values are compared exactly: Entra ID emits them as defined in the app manifest,
 * and a looser match would let a role named `qualifications.write` stand in for the real one.
 */
export function hasRole(principal: Principal, role: AppRole): boolean {
  return principal.roles.includes(role);
}

/**
 * 401 for no caller, 403 for a caller without the role. The roles are independent: Write does
 * not imply Read. Entra ID app roles have no hierarchy (a token lists exactly the roles assigned)
 * and no Microsoft guidance makes one imply another, so a caller that needs both is assigned both.
 */
export function authorize(result: AuthResult, requiredRole: AppRole): AccessDecision {
  if (!result.ok) return { decision: 'unauthenticated', reason: result.reason };
  const { principal } = result;
  return hasRole(principal, requiredRole)
    ? { decision: 'allow', principal }
    : { decision: 'forbidden', principal };
}
