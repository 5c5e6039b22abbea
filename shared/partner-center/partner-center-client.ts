import type { TokenCredential } from '@azure/identity';
import { systemClock } from '../domain/clock.js';
import type { CustomerId } from '../domain/customer-id.js';
import type { CallContext, Clock, PartnerCenter } from '../domain/ports.js';
import type { Qualification } from '../domain/qualification.js';
import type { QualificationRequest } from '../domain/qualification-request.js';
import type {
  PartnerCenterHealth,
  PartnerCenterIdentity,
  UpstreamResult,
} from '../domain/upstream.js';
import type { ValidationCode } from '../domain/validation-code.js';
import { CredentialGuard } from './credential-guard.js';
import { nodeHttpTransport } from './node-http-transport.js';
import { ResilientExchange, type ResilientExchangeOptions } from './resilient-exchange.js';
import {
  upstreamQualificationListSchema,
  upstreamQualificationSchema,
  upstreamValidationCodeListSchema,
} from './response-schemas.js';
import type { UpstreamTransport } from './upstream-transport.js';

export interface PartnerCenterClientOptions extends Omit<
  ResilientExchangeOptions,
  'transport' | 'clock'
> {
  /** App-only identity: reads and the timer. */
  readonly appCredential: TokenCredential;
  /** App+User identity for submissions; undefined when none is configured. */
  readonly userCredential: (call: CallContext) => TokenCredential | undefined;
  /**
   * Whose App+User identity that is: the gateway's own (Secure Application Model, default), the
   * caller's (On-Behalf-Of), or none.
   */
  readonly userIdentity?: 'app+user' | 'on-behalf-of' | 'none';
  /** Each identity's token failures open a breaker of its own; default 5 failures, 30 s. */
  readonly credentialBreaker?: { readonly failureThreshold: number; readonly openSeconds: number };
  /** How requests reach Partner Center; node:http with kept-alive connections by default. */
  readonly transport?: UpstreamTransport;
  readonly clock?: Clock;
}

/** Partner Center over HTTPS: one method per endpoint, each a resilient exchange. */
export class PartnerCenterClient implements PartnerCenter {
  private readonly exchange: ResilientExchange;
  private readonly userIdentity: 'app+user' | 'on-behalf-of' | 'none';
  private readonly appGuard: CredentialGuard;
  private readonly userGuard: CredentialGuard;

  constructor(private readonly options: PartnerCenterClientOptions) {
    const clock = options.clock ?? systemClock;
    this.exchange = new ResilientExchange({
      ...options,
      transport: options.transport ?? nodeHttpTransport({ maxSockets: options.maxConcurrentCalls }),
      clock,
    });
    this.userIdentity = options.userIdentity ?? 'app+user';
    const { failureThreshold, openSeconds } = options.credentialBreaker ?? {
      failureThreshold: 5,
      openSeconds: 30,
    };
    const guard = (identity: PartnerCenterIdentity): CredentialGuard =>
      new CredentialGuard(identity, failureThreshold, openSeconds, clock);
    this.appGuard = guard('app-only');
    this.userGuard = guard(this.userIdentity === 'on-behalf-of' ? 'on-behalf-of' : 'app+user');
  }

  getQualifications(
    customerId: CustomerId,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification[]>> {
    return this.exchange.send(
      {
        method: 'GET',
        path: `/v1/customers/${encodeURIComponent(customerId)}/qualifications`,
        credential: this.options.appCredential,
        guard: this.appGuard,
      },
      upstreamQualificationListSchema,
      call,
    );
  }

  createQualification(
    customerId: CustomerId,
    request: QualificationRequest,
    requestId: string,
    call: CallContext,
  ): Promise<UpstreamResult<Qualification>> {
    const credential = this.options.userCredential(call);
    if (credential === undefined) {
      const identity = this.userGuard.identity;
      // On-Behalf-Of needs the caller's token; otherwise no App+User identity is configured.
      const cause = identity === 'on-behalf-of' ? 'caller-refused' : 'not-configured';
      call.logger.warn('No App+User credential for this Partner Center submission', { cause });
      return Promise.resolve({
        ok: false,
        failure: { kind: 'credential-unavailable', identity, cause },
      });
    }
    return this.exchange.send(
      {
        method: 'POST',
        path: `/v1/customers/${encodeURIComponent(customerId)}/qualifications`,
        credential,
        guard: this.userGuard,
        body: request,
      },
      upstreamQualificationSchema,
      call,
      requestId,
    );
  }

  listValidationCodes(call: CallContext): Promise<UpstreamResult<ValidationCode[]>> {
    return this.exchange.send(
      {
        method: 'GET',
        path: '/v1/customers/all/validations',
        credential: this.options.appCredential,
        guard: this.appGuard,
      },
      upstreamValidationCodeListSchema,
      call,
    );
  }

  health(): PartnerCenterHealth {
    return {
      partnerCenter: this.options.circuitBreaker.isOpen ? 'fail' : 'ok',
      appOnlyCredential: this.appGuard.status,
      appUserCredential: this.userIdentity === 'none' ? 'not-configured' : this.userGuard.status,
    };
  }
}
