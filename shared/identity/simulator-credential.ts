import type { AccessToken, TokenCredential } from '@azure/identity';
import { systemClock } from '../domain/clock.js';
import type { Clock } from '../domain/ports.js';

export type SimulatorTokenKind = 'app-only' | 'app+user';

/**
 * Stands in for Entra ID when the upstream is the Partner Center simulator, which reads the
 * token kind from an unsigned JWT-shaped token (`idtyp: "app"` for app-only; `scp` and an MFA
 * `amr` for App+User). Configuration refuses it for any upstream that is not on loopback.
 */
export class SimulatorCredential implements TokenCredential {
  constructor(
    private readonly kind: SimulatorTokenKind,
    private readonly clock: Clock = systemClock,
  ) {}

  getToken(): Promise<AccessToken> {
    const expiresOnTimestamp = this.clock.now().getTime() + 60 * 60 * 1000;
    const claims =
      this.kind === 'app-only'
        ? { idtyp: 'app', roles: ['Partner Center'], appid: 'simulator' }
        : { idtyp: 'user', scp: 'user_impersonation', amr: ['pwd', 'mfa'], appid: 'simulator' };
    const encode = (value: object): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = [
      encode({ alg: 'none', typ: 'JWT' }),
      encode({ ...claims, exp: Math.floor(expiresOnTimestamp / 1000) }),
      '',
    ].join('.');
    return Promise.resolve({ token, expiresOnTimestamp });
  }
}
