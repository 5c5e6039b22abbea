import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../shared/config.js';
import { ConfigurationError } from '../../shared/configuration-error.js';
import { HOST_LIMITS, PURGE_BUDGET_SECONDS } from '../../shared/host-limits.js';

const simulatorSettings = {
  PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:7072',
  PARTNER_CENTER_CREDENTIAL: 'simulator',
  STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the settings');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(simulatorSettings);
    expect(config.cacheMaxAgeSeconds).toBe(3600);
    expect(config.partnerCenter.maxRetries).toBe(3);
    expect(config.partnerCenter.scope).toBe('https://api.partnercenter.microsoft.com/.default');
    expect(config.storage).toEqual({
      kind: 'connection-string',
      connectionString: 'UseDevelopmentStorage=true',
      tablePrefix: '',
    });
  });

  it('names every bad or missing setting at once', () => {
    const message = errorOf({
      PARTNER_CENTER_BASE_URL: 'https://api.partnercenter.microsoft.com',
      CACHE_MAX_AGE_SECONDS: 'soon',
    });
    expect(message).toContain('PARTNER_CENTER_TENANT_ID');
    expect(message).toContain('PARTNER_CENTER_CLIENT_ID');
    expect(message).toContain('PARTNER_CENTER_CLIENT_SECRET');
    expect(message).toContain('CACHE_MAX_AGE_SECONDS');
    expect(message).toContain('STORAGE_CONNECTION_STRING');
  });

  it('requires the upstream', () => {
    expect(errorOf({ STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toContain(
      'PARTNER_CENTER_BASE_URL',
    );
  });

  it('refuses simulator credentials and plain http for a remote upstream', () => {
    const message = errorOf({
      ...simulatorSettings,
      PARTNER_CENTER_BASE_URL: 'http://api.partnercenter.microsoft.com',
    });
    expect(message).toContain('must be https');
    expect(message).toContain('only for a Partner Center simulator on loopback');
  });

  it('detects an unresolved Key Vault reference without echoing it', () => {
    const message = errorOf({
      ...simulatorSettings,
      PARTNER_CENTER_CLIENT_SECRET:
        '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/pc/)',
    });
    expect(message).toContain('PARTNER_CENTER_CLIENT_SECRET: is an unresolved Key Vault reference');
    expect(message).not.toContain('kv.vault.azure.net');
  });

  it('rejects a table prefix that would make an invalid table name', () => {
    expect(errorOf({ ...simulatorSettings, STORAGE_TABLE_PREFIX: '1-bad' })).toContain(
      'STORAGE_TABLE_PREFIX',
    );
  });
});

describe('settings within what the Functions host allows', () => {
  it('host.json has the function timeout the settings are bounded by', async () => {
    const host = JSON.parse(await readFile('host.json', 'utf8')) as { functionTimeout: string };
    const [h = 0, m = 0, sec = 0] = host.functionTimeout.split(':').map(Number);
    expect(h * 3600 + m * 60 + sec).toBe(HOST_LIMITS.functionTimeoutSeconds);
  });

  it('refuses a refresh budget that, with the purge, would outlive the function timeout', () => {
    const limit = HOST_LIMITS.functionTimeoutSeconds - PURGE_BUDGET_SECONDS;
    expect(
      loadConfig({ ...simulatorSettings, VETTING_REFRESH_BUDGET_SECONDS: '270' }).vettingRefresh
        .budgetMs,
    ).toBeLessThan(limit * 1000);
    expect(errorOf({ ...simulatorSettings, VETTING_REFRESH_BUDGET_SECONDS: '271' })).toContain(
      'VETTING_REFRESH_BUDGET_SECONDS',
    );
    expect(errorOf({ ...simulatorSettings, VETTING_REFRESH_BUDGET_SECONDS: '3600' })).toContain(
      'VETTING_REFRESH_BUDGET_SECONDS',
    );
  });

  it('refuses a Partner Center deadline whose two calls of a submission pass the HTTP limit', () => {
    const config = loadConfig({ ...simulatorSettings, PARTNER_CENTER_TIMEOUT_MS: '100000' });
    expect(2 * config.partnerCenter.timeoutMs).toBeLessThan(HOST_LIMITS.httpResponseSeconds * 1000);
    expect(errorOf({ ...simulatorSettings, PARTNER_CENTER_TIMEOUT_MS: '120000' })).toContain(
      'PARTNER_CENTER_TIMEOUT_MS',
    );
    expect(
      errorOf({ ...simulatorSettings, PARTNER_CENTER_ATTEMPT_TIMEOUT_MS: '120000' }),
    ).toContain('PARTNER_CENTER_ATTEMPT_TIMEOUT_MS');
  });
});

describe('loadConfig fails closed', () => {
  const real = {
    PARTNER_CENTER_BASE_URL: 'https://api.partnercenter.microsoft.com',
    PARTNER_CENTER_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
    PARTNER_CENTER_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
    PARTNER_CENTER_CLIENT_SECRET: 'not-a-real-secret',
    STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  };

  it('refuses to start against a real Partner Center with inbound auth off', () => {
    expect(errorOf(real)).toContain('AUTH_AUDIENCE: required with a real Partner Center');
  });

  it('derives issuer and key set from the tenant when auth is on', () => {
    const config = loadConfig({
      ...real,
      AUTH_AUDIENCE: 'api://gateway, 9a8b7c6d-0000-4000-8000-000000000001',
      AUTH_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
    });
    expect(config.inboundAuth).toEqual({
      kind: 'bearer-token',
      validation: {
        audience: ['api://gateway', '9a8b7c6d-0000-4000-8000-000000000001'],
        issuer: 'https://login.microsoftonline.com/0f0e0d0c-0b0a-4908-8706-050403020100/v2.0',
        jwksUri:
          'https://login.microsoftonline.com/0f0e0d0c-0b0a-4908-8706-050403020100/discovery/v2.0/keys',
        tenantId: '0f0e0d0c-0b0a-4908-8706-050403020100',
      },
    });
    expect(config.partnerCenterIdentity.userCredential).toBe('none');
  });

  it('needs a tenant (or explicit issuer and key set) with an audience', () => {
    expect(errorOf({ ...real, AUTH_AUDIENCE: 'api://gateway' })).toContain('AUTH_TENANT_ID');
  });

  it('needs the refresh token for the Secure Application Model, and a caller token for On-Behalf-Of', () => {
    const message = errorOf({
      ...real,
      PARTNER_CENTER_USER_CREDENTIAL: 'secure-application-model',
    });
    expect(message).toContain(
      'PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: required when PARTNER_CENTER_USER_CREDENTIAL=secure-application-model (or PARTNER_CENTER_REFRESH_TOKEN)',
    );
    expect(
      errorOf({
        ...real,
        AUTH_IDENTITY_SOURCE: 'app-service-authentication',
        PARTNER_CENTER_USER_CREDENTIAL: 'on-behalf-of',
      }),
    ).toContain("on-behalf-of exchanges the caller's token");
  });

  describe('the Secure Application Model refresh token', () => {
    const sam = {
      ...real,
      AUTH_AUDIENCE: 'api://gateway',
      AUTH_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
      PARTNER_CENTER_USER_CREDENTIAL: 'secure-application-model',
    };
    const secretUri = 'https://my-vault.vault.azure.net/secrets/partner-center-refresh-token';

    it('is read from a Key Vault secret, or from the setting', () => {
      const fromVault = loadConfig({ ...sam, PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: secretUri });
      expect(fromVault.partnerCenterIdentity).toMatchObject({
        refreshTokenSecretUri: secretUri,
        refreshToken: undefined,
      });
      const fromSetting = loadConfig({ ...sam, PARTNER_CENTER_REFRESH_TOKEN: '0.Aconsented' });
      expect(fromSetting.partnerCenterIdentity).toMatchObject({
        refreshTokenSecretUri: undefined,
        refreshToken: '0.Aconsented',
      });
    });

    it('is refused from both places at once', () => {
      expect(
        errorOf({
          ...sam,
          PARTNER_CENTER_REFRESH_TOKEN: '0.Aconsented',
          PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: secretUri,
        }),
      ).toContain(
        'PARTNER_CENTER_REFRESH_TOKEN: set it or PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI, not both',
      );
    });

    it.each([
      [`${secretUri}/0123456789abcdef0123456789abcdef`, 'without a version'],
      ['http://my-vault.vault.azure.net/secrets/x', 'must be https'],
      [
        '@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)',
        'unresolved Key Vault reference',
      ],
    ])('refuses the secret identifier %s', (uri, message) => {
      const error = errorOf({ ...sam, PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: uri });
      expect(error).toContain('PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: ');
      expect(error).toContain(message);
    });
  });

  it('refuses an unresolved Key Vault reference for the refresh token', () => {
    expect(
      errorOf({
        ...real,
        AUTH_AUDIENCE: 'api://gateway',
        AUTH_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
        PARTNER_CENTER_USER_CREDENTIAL: 'secure-application-model',
        PARTNER_CENTER_REFRESH_TOKEN: '@Microsoft.KeyVault(VaultName=v;SecretName=pc-refresh)',
      }),
    ).toContain('PARTNER_CENTER_REFRESH_TOKEN: is an unresolved Key Vault reference');
  });

  describe('App Service Authentication as the identity source', () => {
    const easyAuth = { ...real, AUTH_IDENTITY_SOURCE: 'app-service-authentication' };

    it('is refused unless App Service Authentication is on', () => {
      expect(errorOf(easyAuth)).toContain('WEBSITE_AUTH_ENABLED=True');
      expect(errorOf({ ...easyAuth, WEBSITE_AUTH_ENABLED: 'False' })).toContain(
        'WEBSITE_AUTH_ENABLED=True',
      );
      expect(loadConfig({ ...easyAuth, WEBSITE_AUTH_ENABLED: 'True' }).inboundAuth).toEqual({
        kind: 'app-service-authentication',
      });
    });

    it('never silently overrides AUTH_AUDIENCE', () => {
      expect(
        errorOf({
          ...easyAuth,
          WEBSITE_AUTH_ENABLED: 'True',
          AUTH_AUDIENCE: 'api://gateway',
          AUTH_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
        }),
      ).toContain('unset AUTH_AUDIENCE');
    });
  });

  it('reads the allow-list of calling client ids, and refuses what is not one', () => {
    const bearer = {
      ...real,
      AUTH_AUDIENCE: 'api://gateway',
      AUTH_TENANT_ID: '0f0e0d0c-0b0a-4908-8706-050403020100',
    };
    const config = loadConfig({
      ...bearer,
      AUTH_ALLOWED_CLIENT_IDS:
        ' AAAAAAAA-0000-4000-8000-000000000001 , aaaaaaaa-0000-4000-8000-000000000002',
    });
    expect(config.inboundAuth).toMatchObject({
      kind: 'bearer-token',
      allowedClientIds: [
        'aaaaaaaa-0000-4000-8000-000000000001',
        'aaaaaaaa-0000-4000-8000-000000000002',
      ],
    });
    expect(errorOf({ ...bearer, AUTH_ALLOWED_CLIENT_IDS: 'my-app' })).toContain(
      'AUTH_ALLOWED_CLIENT_IDS',
    );
  });

  it('refuses plain-http identity endpoints off loopback', () => {
    expect(
      errorOf({
        ...real,
        AUTH_AUDIENCE: 'api://gateway',
        AUTH_ISSUER: 'http://login.example.com/t/v2.0',
        AUTH_JWKS_URI: 'http://login.example.com/t/keys',
      }),
    ).toContain('AUTH:');
  });
});

describe('the documented sample settings', () => {
  it('start the gateway as they are (empty values mean unset)', async () => {
    const { readFile } = await import('node:fs/promises');
    const sample = JSON.parse(await readFile('local.settings.sample.json', 'utf8')) as {
      Values: Record<string, string>;
    };
    const config = loadConfig(sample.Values);
    expect(config.partnerCenterIdentity.credential).toBe('simulator');
    expect(config.inboundAuth).toEqual({ kind: 'off' });
  });
});

describe('change event settings', () => {
  const topic = 'https://evgt-gateway.westeurope-1.eventgrid.azure.net/api/events';

  it('keeps the queue alone by default, and adds Event Grid when its topic is set', () => {
    expect(loadConfig(simulatorSettings).events).toEqual({
      sinks: ['queue'],
      eventGridTopicEndpoint: undefined,
    });
    expect(loadConfig({ ...simulatorSettings, EVENT_GRID_TOPIC_ENDPOINT: topic }).events).toEqual({
      sinks: ['queue', 'event-grid'],
      eventGridTopicEndpoint: topic,
    });
    expect(
      loadConfig({
        ...simulatorSettings,
        EVENT_SINKS: ' Event-Grid ',
        EVENT_GRID_TOPIC_ENDPOINT: topic,
      }).events.sinks,
    ).toEqual(['event-grid']);
  });

  it.each([
    [{ EVENT_SINKS: 'queue,event-grid' }, /EVENT_GRID_TOPIC_ENDPOINT: required when EVENT_SINKS/],
    [
      { EVENT_SINKS: 'queue', EVENT_GRID_TOPIC_ENDPOINT: topic },
      /EVENT_SINKS: leaves out event-grid/,
    ],
    [{ EVENT_SINKS: 'queue,webhook' }, /EVENT_SINKS/],
    [{ EVENT_SINKS: 'queue,queue' }, /EVENT_SINKS: names a sink twice/],
    [
      { EVENT_GRID_TOPIC_ENDPOINT: 'http://evgt.example/api/events' },
      /EVENT_GRID_TOPIC_ENDPOINT: must be the https/,
    ],
  ])('refuses %o', (settings, problem) => {
    expect(errorOf({ ...simulatorSettings, ...settings })).toMatch(problem);
  });
});
