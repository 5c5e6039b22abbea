import {
  AuthenticationError,
  AuthenticationRequiredError,
  CredentialUnavailableError,
  type TokenCredential,
} from '@azure/identity';
import { describe, expect, it } from 'vitest';
import type { CustomerId } from '../../shared/domain/customer-id.js';
import type { CallContext } from '../../shared/domain/ports.js';
import { RefreshTokenCredentialError } from '../../shared/identity/refresh-token-credential-error.js';
import { CircuitBreaker } from '../../shared/partner-center/circuit-breaker.js';
import { credentialFailureCause } from '../../shared/partner-center/credential-guard.js';
import {
  PartnerCenterClient,
  type PartnerCenterClientOptions,
} from '../../shared/partner-center/partner-center-client.js';
import { RecordingLogger } from '../identity/fixture.js';

// H1: a credential that cannot get tokens is not a Partner Center outage. Its failures open a
// breaker of its own, never the one that guards Partner Center, nor another identity's.

const customerId = '6f1e8d2c-6b5a-4c1e-9a32-1f0e7d6c5b4a' as CustomerId;
const LIST = [{ qualification: 'Education', vettingStatus: 'Approved' }];

const working: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'app-token', expiresOnTimestamp: Date.now() + 3.6e6 }),
};
const failing = (error: Error): TokenCredential & { calls: number } => {
  const fake = {
    calls: 0,
    getToken: () => {
      fake.calls++;
      return Promise.reject(error);
    },
  };
  return fake;
};
const unreachable = () =>
  new RefreshTokenCredentialError('the token endpoint could not be used', 'unavailable', true);

function client(options: Partial<PartnerCenterClientOptions>) {
  let requests = 0;
  const pc = new PartnerCenterClient({
    baseUrl: new URL('https://api.partnercenter.microsoft.com'),
    appCredential: working,
    userCredential: () => working,
    scope: 'https://api.partnercenter.microsoft.com/.default',
    timeoutMs: 2000,
    attemptTimeoutMs: 1000,
    maxRetries: 0,
    retryBaseMs: 5,
    circuitBreaker: new CircuitBreaker(3, 30),
    credentialBreaker: { failureThreshold: 3, openSeconds: 30 },
    maxConcurrentCalls: 4,
    transport: (request) => {
      requests++;
      const body =
        request.method === 'POST'
          ? { qualification: 'StateOwnedEntity' }
          : request.url.pathname.includes('validations')
            ? []
            : LIST;
      return Promise.resolve({ status: 200, text: JSON.stringify(body), header: () => undefined });
    },
    ...options,
  });
  return { pc, requests: () => requests };
}

const callWith = (logger = new RecordingLogger()): CallContext => ({
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  logger,
});
const submit = (pc: PartnerCenterClient, call = callWith()) =>
  pc.createQualification(customerId, { qualification: 'StateOwnedEntity' }, 'r', call);

describe('credential failures are kept apart from Partner Center', () => {
  it('eight App+User token failures leave reads and the Partner Center breaker alone', async () => {
    const user = failing(unreachable());
    const { pc, requests } = client({ userCredential: () => user });
    for (let i = 0; i < 8; i++) {
      const result = await submit(pc);
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'credential-unavailable', identity: 'app+user', cause: 'unreachable' },
      });
    }
    // The identity's own breaker opened after three: the rest were answered without a token call.
    expect(user.calls).toBe(3);
    expect(requests()).toBe(0);
    expect(pc.health()).toEqual({
      partnerCenter: 'ok',
      appOnlyCredential: 'ok',
      appUserCredential: 'fail',
    });
    expect(await pc.getQualifications(customerId, callWith())).toEqual({ ok: true, value: LIST });
    expect(await pc.listValidationCodes(callWith())).toEqual({ ok: true, value: [] });
  });

  it('an app-only token failure leaves submissions alone', async () => {
    const app = failing(new CredentialUnavailableError('endpoints_resolution_error'));
    const { pc } = client({ appCredential: app });
    for (let i = 0; i < 5; i++) {
      expect(await pc.getQualifications(customerId, callWith())).toMatchObject({
        ok: false,
        failure: { kind: 'credential-unavailable', identity: 'app-only' },
      });
    }
    expect(pc.health()).toMatchObject({ partnerCenter: 'ok', appOnlyCredential: 'fail' });
    expect(await submit(pc)).toMatchObject({ ok: true });
  });

  it('logs the failure once per cause, with the action, and once more when it recovers', async () => {
    let broken = true;
    const user: TokenCredential = {
      getToken: () =>
        broken
          ? Promise.reject(unreachable())
          : Promise.resolve({ token: 'user-token', expiresOnTimestamp: Date.now() + 3.6e6 }),
    };
    const { pc } = client({ userCredential: () => user, credentialBreaker: undefined });
    const logger = new RecordingLogger();
    for (let i = 0; i < 4; i++) await submit(pc, callWith(logger));
    const failingLines = logger.lines.filter((l) => l.includes('credential failing'));
    expect(failingLines).toHaveLength(1);
    expect(failingLines[0]).toContain('PARTNER_CENTER_AUTHORITY_HOST');
    broken = false;
    expect(await submit(pc, callWith(logger))).toMatchObject({ ok: true });
    expect(logger.lines.filter((l) => l.includes('credential recovered'))).toHaveLength(1);
    expect(pc.health().appUserCredential).toBe('ok');
  });

  it('an On-Behalf-Of assertion Entra ID refuses is the caller’s, not the identity’s', async () => {
    const refused = new AuthenticationError(400, {
      error: 'invalid_grant',
      error_description: 'AADSTS50013: Assertion failed signature validation.',
    });
    const user = failing(refused);
    const { pc } = client({ userCredential: () => user, userIdentity: 'on-behalf-of' });
    for (let i = 0; i < 5; i++) {
      expect(await submit(pc)).toMatchObject({
        failure: { kind: 'credential-unavailable', cause: 'caller-refused' },
      });
    }
    expect(user.calls).toBe(5);
    expect(pc.health()).toMatchObject({ appUserCredential: 'ok', partnerCenter: 'ok' });
  });

  it('a retry that cannot get a token does not hide that an earlier attempt reached Partner Center', async () => {
    let tokens = 0;
    const user: TokenCredential = {
      getToken: () =>
        ++tokens === 1
          ? Promise.resolve({ token: 'user-token', expiresOnTimestamp: Date.now() + 3.6e6 })
          : Promise.reject(unreachable()),
    };
    const { pc } = client({
      userCredential: () => user,
      maxRetries: 2,
      attemptTimeoutMs: 100,
      // The first attempt's answer is lost: the POST may have been applied.
      transport: ({ signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reject(new Error('aborted'));
          });
        }),
    });
    expect(await submit(pc)).toEqual({
      ok: false,
      failure: { kind: 'timeout' },
      outcomeUnknown: true,
    });
    expect(tokens).toBe(3);
  });

  it('reports no App+User identity as not configured, and answers submissions so', async () => {
    const { pc } = client({ userCredential: () => undefined, userIdentity: 'none' });
    expect(await submit(pc)).toMatchObject({
      failure: { kind: 'credential-unavailable', cause: 'not-configured' },
    });
    expect(pc.health().appUserCredential).toBe('not-configured');
  });
});

/** What @azure/identity raises for an error MSAL reported (handleMsalError). */
function msalError(message: string): Error {
  return new AuthenticationRequiredError({ scopes: [], message });
}

function oauthError(status: number, error: string): AuthenticationError {
  return new AuthenticationError(status, { error, error_description: `AADSTS0: ${error}` });
}

describe('credentialFailureCause', () => {
  it.each([
    [unreachable(), 'app+user', 'unreachable'],
    [
      new RefreshTokenCredentialError('re-run consent', 'consent-required', false),
      'app+user',
      'refused',
    ],
    [oauthError(401, 'invalid_client'), 'app-only', 'refused'],
    [oauthError(503, 'temporarily_unavailable'), 'app-only', 'unreachable'],
    [oauthError(400, 'invalid_grant'), 'on-behalf-of', 'caller-refused'],
    [oauthError(400, 'invalid_grant'), 'app-only', 'refused'],
    [oauthError(401, 'invalid_client'), 'on-behalf-of', 'refused'],
    [new CredentialUnavailableError('no managed identity'), 'app-only', 'unreachable'],
    [msalError('invalid_grant: AADSTS50013: Assertion failed'), 'on-behalf-of', 'caller-refused'],
    [msalError('invalid_client: AADSTS7000215: Invalid client secret'), 'app-only', 'refused'],
    [msalError('network_error: connect ECONNREFUSED'), 'app+user', 'unreachable'],
    [new TypeError('fetch failed'), 'app-only', 'unreachable'],
  ] as const)('%s with %s → %s', (error, identity, cause) => {
    expect(credentialFailureCause(error, identity)).toBe(cause);
  });
});
