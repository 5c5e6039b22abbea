import { describe, expect, it } from 'vitest';
import {
  deriveEntraIdEndpoints,
  inboundAuthConfigProblems,
  type InboundAuthConfig,
} from '../../shared/auth/inbound-auth-config.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('deriveEntraIdEndpoints', () => {
  it("derives the public cloud's v2.0 issuer and key set", () => {
    expect(deriveEntraIdEndpoints(TENANT)).toEqual({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
    });
  });

  it('uses another authority host, trailing slash or not', () => {
    expect(deriveEntraIdEndpoints(TENANT, 'https://login.microsoftonline.us/')).toEqual({
      issuer: `https://login.microsoftonline.us/${TENANT}/v2.0`,
      jwksUri: `https://login.microsoftonline.us/${TENANT}/discovery/v2.0/keys`,
    });
  });
});

describe('inboundAuthConfigProblems', () => {
  const valid: InboundAuthConfig = {
    audience: ['api://partner-qualifications-gateway', '11111111-2222-3333-4444-555555555555'],
    ...deriveEntraIdEndpoints(TENANT),
    tenantId: TENANT,
  };

  it('finds none in a sound configuration, loopback http included', () => {
    expect(inboundAuthConfigProblems(valid)).toEqual([]);
    expect(
      inboundAuthConfigProblems({
        ...valid,
        jwksUri: 'http://127.0.0.1:7071/t/keys',
        tenantId: undefined,
      }),
    ).toEqual([]);
  });

  it('names every problem at once', () => {
    const problems = inboundAuthConfigProblems({
      audience: ['api://x', ' '],
      issuer: 'not a url',
      jwksUri: 'http://login.example.com/keys',
      tenantId: 'contoso.onmicrosoft.com',
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'audience',
      'issuer',
      'jwksUri',
      'tenantId',
    ]);
  });

  it('refuses an empty audience list', () => {
    expect(inboundAuthConfigProblems({ ...valid, audience: [] })).toHaveLength(1);
  });
});
