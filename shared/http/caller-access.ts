import type { HttpRequest } from '@azure/functions';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';
import type { Access } from '../api/operations.js';
import { authorize, type AccessDecision } from '../auth/access-policy.js';
import type { AuthResult } from '../auth/auth-result.js';
import {
  CLIENT_PRINCIPAL_HEADER,
  principalFromClientPrincipalHeader,
} from '../auth/client-principal.js';
import type { InboundAuthMode } from '../auth/inbound-auth-config.js';
import { onFirstUse } from '../on-first-use.js';
import type { Problem } from './problem.js';

export type AccessCheck =
  | {
      readonly ok: true;
      /** The caller's bearer token, for On-Behalf-Of submissions. */
      readonly callerToken?: string;
      readonly caller?: { readonly subject: string; readonly appId: string | undefined };
    }
  | { readonly ok: false; readonly problem: Problem; readonly reason: string };

/** Decides, before anything else is done for a request, whether its caller may make it. */
export interface CallerAccess {
  check(request: HttpRequest, access: Access): Promise<AccessCheck>;
}

/**
 * Inbound authorization as configured: Entra ID bearer tokens validated in code (the default),
 * App Service Authentication's principal header (only when explicitly chosen: anyone can send
 * that header to an app that does not sit behind App Service Authentication), or off (allowed by
 * the configuration only against the simulator).
 */
export function createCallerAccess(
  config: InboundAuthMode,
  clock: Clock = systemClock,
): CallerAccess {
  switch (config.kind) {
    case 'off':
      return { check: () => Promise.resolve({ ok: true }) };
    case 'app-service-authentication':
      return checkedBy(
        (request) =>
          Promise.resolve(
            principalFromClientPrincipalHeader(request.headers.get(CLIENT_PRINCIPAL_HEADER)),
          ),
        config.allowedClientIds,
      );
    case 'bearer-token': {
      // Made with the first request that needs a caller: jose and the key set load then, not
      // while an instance starts.
      const validator = onFirstUse(async () => {
        const { TokenValidator } = await import('../auth/token-validator.js');
        return new TokenValidator(config.validation, clock);
      });
      return checkedBy(
        async (request) => (await validator()).validate(request.headers.get('authorization')),
        config.allowedClientIds,
      );
    }
  }
}

/**
 * Anonymous operations pass; any other needs a caller, found by `callerOf`, from an allowed
 * client application when an allow-list is set, with its role.
 */
function checkedBy(
  callerOf: (request: HttpRequest) => Promise<AuthResult>,
  allowedClientIds: readonly string[] | undefined,
): CallerAccess {
  return {
    check: async (request, access) => {
      if (access === 'anonymous') return { ok: true };
      const caller = await callerOf(request);
      if (caller.ok && allowedClientIds !== undefined) {
        const appId = caller.principal.appId?.toLowerCase();
        if (appId === undefined || !allowedClientIds.includes(appId)) {
          return {
            ok: false,
            reason: 'client-not-allowed',
            problem: {
              status: 403,
              type: 'forbidden',
              detail: 'The calling application is not allowed to use this API.',
            },
          };
        }
      }
      return toCheck(authorize(caller, access));
    },
  };
}

function toCheck(decision: AccessDecision): AccessCheck {
  switch (decision.decision) {
    case 'allow': {
      const { principal } = decision;
      return {
        ok: true,
        ...(principal.token !== undefined && { callerToken: principal.token }),
        caller: { subject: principal.subject, appId: principal.appId },
      };
    }
    case 'unauthenticated':
      return {
        ok: false,
        reason: decision.reason,
        problem: {
          status: 401,
          type: 'unauthorized',
          detail: 'A valid Entra ID access token for this API is required.',
          headers: {
            'www-authenticate':
              decision.reason === 'missing-token' ? 'Bearer' : 'Bearer error="invalid_token"',
          },
        },
      };
    case 'forbidden':
      return {
        ok: false,
        reason: 'missing-role',
        problem: {
          status: 403,
          type: 'forbidden',
          detail: 'The caller does not have the app role this operation needs.',
        },
      };
  }
}
