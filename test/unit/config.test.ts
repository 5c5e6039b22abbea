import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from '../../shared/config.js';

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
