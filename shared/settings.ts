import * as z from 'zod/mini';
import { commaSeparated } from './comma-separated.js';
import { DEFAULT_AUTHORITY_HOST, LOOPBACK_HOSTS } from './entra-id.js';
import {
  APP_ONLY_CREDENTIALS,
  APP_USER_CREDENTIALS,
  DEFAULT_APP_ONLY_CREDENTIAL,
} from './identity/credential-kinds.js';
import { secretIdentifierProblems } from './identity/secret-identifier.js';
import { eventSettingsSchema } from './events/event-settings.js';
import { telemetrySettingsSchema } from './telemetry/telemetry-config.js';
import { HOST_LIMITS, PURGE_BUDGET_SECONDS } from './host-limits.js';
import './zod-english.js';

/** The refresh budget leaves the purge and a margin inside the function timeout. */
const MAX_REFRESH_BUDGET_SECONDS = HOST_LIMITS.functionTimeoutSeconds - PURGE_BUDGET_SECONDS - 10;
/** A first submission makes two Partner Center calls in a row; both fit one HTTP response. */
const MAX_PARTNER_CENTER_TIMEOUT_MS = 100_000;

const integer = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// loadConfig has already dropped blank values: what reaches the schema is set.
const optionalText = z.optional(z.string().check(z.trim()));

/**
 * Every app setting the gateway reads, with its default: the single source of truth for the
 * README's configuration table and local.settings.sample.json.
 */
export const settingsSchema = z.object({
  PARTNER_CENTER_BASE_URL: z.url({ protocol: /^https?$/ }),
  PARTNER_CENTER_CREDENTIAL: z._default(z.enum(APP_ONLY_CREDENTIALS), DEFAULT_APP_ONLY_CREDENTIAL),
  PARTNER_CENTER_USER_CREDENTIAL: z.optional(z.enum(APP_USER_CREDENTIALS)),
  PARTNER_CENTER_TENANT_ID: optionalText,
  PARTNER_CENTER_CLIENT_ID: optionalText,
  PARTNER_CENTER_CLIENT_SECRET: optionalText,
  PARTNER_CENTER_CERTIFICATE_PATH: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN: optionalText,
  PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: optionalText,
  PARTNER_CENTER_AUTHORITY_HOST: z._default(z.url({ protocol: /^https$/ }), DEFAULT_AUTHORITY_HOST),
  PARTNER_CENTER_SCOPE: z._default(
    z.string().check(z.minLength(1)),
    'https://api.partnercenter.microsoft.com/.default',
  ),
  PARTNER_CENTER_TIMEOUT_MS: integer(20_000, 1_000, MAX_PARTNER_CENTER_TIMEOUT_MS),
  PARTNER_CENTER_ATTEMPT_TIMEOUT_MS: z.optional(
    z.coerce.number().check(z.int(), z.gte(500), z.lte(MAX_PARTNER_CENTER_TIMEOUT_MS)),
  ),
  PARTNER_CENTER_MAX_RETRIES: integer(3, 0, 5),
  PARTNER_CENTER_RETRY_BASE_MS: integer(500, 10, 10_000),
  PARTNER_CENTER_MAX_CONCURRENT_CALLS: integer(32, 1, 1_000),
  PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: integer(5, 1, 100),
  PARTNER_CENTER_CIRCUIT_OPEN_SECONDS: integer(30, 1, 3_600),
  AUTH_AUDIENCE: optionalText,
  AUTH_TENANT_ID: optionalText,
  AUTH_ISSUER: z.optional(z.url()),
  AUTH_JWKS_URI: z.optional(z.url()),
  AUTH_AUTHORITY_HOST: z._default(z.url({ protocol: /^https$/ }), DEFAULT_AUTHORITY_HOST),
  AUTH_IDENTITY_SOURCE: z._default(
    z.enum(['bearer-token', 'app-service-authentication']),
    'bearer-token',
  ),
  AUTH_ALLOWED_CLIENT_IDS: z.optional(
    commaSeparated(
      z
        .array(z.string().check(z.regex(GUID, 'must be client ids (GUIDs), comma-separated')))
        .check(z.minLength(1, 'must name at least one client id')),
    ),
  ),
  /** Set by App Service: `True` while App Service Authentication is on. */
  WEBSITE_AUTH_ENABLED: optionalText,
  STORAGE_CONNECTION_STRING: optionalText,
  AzureWebJobsStorage: optionalText,
  STORAGE_TABLE_ENDPOINT: z.optional(z.url()),
  STORAGE_QUEUE_ENDPOINT: z.optional(z.url()),
  STORAGE_TABLE_PREFIX: z._default(
    z
      .string()
      .check(
        z.regex(
          /^([A-Za-z][A-Za-z0-9]{0,30})?$/,
          'letters and digits only, starting with a letter',
        ),
      ),
    '',
  ),
  CACHE_MAX_AGE_SECONDS: integer(3_600, 0, 30 * 24 * 3_600),
  CACHE_SYNC_WRITE_INTERVAL_SECONDS: integer(10, 0, 3_600),
  CACHE_MEMORY_MAX_AGE_MS: integer(1_000, 0, 60_000),
  CACHE_MEMORY_MAX_ENTRIES: integer(10_000, 0, 1_000_000),
  VETTING_REFRESH_SCHEDULE: z._default(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^\S+( \S+){5}$/, 'must be a six-field NCRONTAB expression, e.g. 0 */15 * * * *'),
      ),
    '0 */15 * * * *',
  ),
  VETTING_REFRESH_BUDGET_SECONDS: integer(240, 5, MAX_REFRESH_BUDGET_SECONDS),
  VETTING_REFRESH_MAX_CALLS: integer(5_000, 1, 1_000_000),
  VETTING_REFRESH_CONCURRENCY: integer(16, 1, 64),
  ...eventSettingsSchema.shape,
  ...telemetrySettingsSchema.shape,
});

export type Settings = z.output<typeof settingsSchema>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Rules across settings, checked on the raw values so that they are reported together with
 * every per-setting problem rather than only once those are fixed.
 */
export function crossSettingProblems(env: Env): string[] {
  const problems: string[] = [];
  const present = (name: string): boolean => (env[name] ?? '').trim() !== '';
  const requireAll = (names: readonly string[], when: string): void => {
    for (const name of names) if (!present(name)) problems.push(`${name}: required when ${when}`);
  };
  let upstream: URL | undefined;
  try {
    upstream = new URL(env.PARTNER_CENTER_BASE_URL ?? '');
  } catch {
    // reported by the schema
  }
  const onLoopback = upstream !== undefined && LOOPBACK_HOSTS.has(upstream.hostname);
  if (upstream !== undefined && upstream.protocol !== 'https:' && !onLoopback) {
    problems.push('PARTNER_CENTER_BASE_URL: must be https unless it is the simulator on loopback');
  }

  const credential = env.PARTNER_CENTER_CREDENTIAL ?? DEFAULT_APP_ONLY_CREDENTIAL;
  const app = ['PARTNER_CENTER_TENANT_ID', 'PARTNER_CENTER_CLIENT_ID'];
  if (credential === 'simulator' && upstream !== undefined && !onLoopback) {
    problems.push(
      'PARTNER_CENTER_CREDENTIAL: simulator credentials are only for a Partner Center simulator on loopback',
    );
  }
  if (credential === 'client-secret') {
    requireAll([...app, 'PARTNER_CENTER_CLIENT_SECRET'], 'PARTNER_CENTER_CREDENTIAL=client-secret');
  }
  if (credential === 'client-certificate') {
    requireAll(
      [...app, 'PARTNER_CENTER_CERTIFICATE_PATH'],
      'PARTNER_CENTER_CREDENTIAL=client-certificate',
    );
  }

  const user = env.PARTNER_CENTER_USER_CREDENTIAL;
  if (user === 'simulator' && credential !== 'simulator') {
    problems.push(
      'PARTNER_CENTER_USER_CREDENTIAL: simulator only with PARTNER_CENTER_CREDENTIAL=simulator',
    );
  }
  if (user === 'secure-application-model') {
    const when = 'PARTNER_CENTER_USER_CREDENTIAL=secure-application-model';
    requireAll([...app, 'PARTNER_CENTER_CLIENT_SECRET'], when);
    problems.push(...refreshTokenSourceProblems(present, when));
  }
  if (present('PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI')) {
    problems.push(
      ...secretIdentifierProblems(env.PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI?.trim() ?? '').map(
        (problem) => `PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: ${problem}`,
      ),
    );
  }
  if (user === 'on-behalf-of') {
    requireAll(
      [...app, 'PARTNER_CENTER_CLIENT_SECRET'],
      'PARTNER_CENTER_USER_CREDENTIAL=on-behalf-of',
    );
  }

  const appService = env.AUTH_IDENTITY_SOURCE === 'app-service-authentication';
  if (appService && present('AUTH_AUDIENCE')) {
    problems.push(
      'AUTH_IDENTITY_SOURCE: app-service-authentication trusts the x-ms-client-principal header instead of validating tokens; unset AUTH_AUDIENCE, or use bearer-token (the default) to validate them here',
    );
  }
  if (appService && (env.WEBSITE_AUTH_ENABLED ?? '').trim().toLowerCase() !== 'true') {
    problems.push(
      'AUTH_IDENTITY_SOURCE: app-service-authentication needs App Service Authentication turned on (WEBSITE_AUTH_ENABLED=True, set by App Service); without it anyone can forge x-ms-client-principal',
    );
  }
  if (!present('AUTH_AUDIENCE') && !appService && credential !== 'simulator') {
    problems.push(
      'AUTH_AUDIENCE: required with a real Partner Center (inbound auth may be off only against the simulator)',
    );
  }
  if (
    present('AUTH_AUDIENCE') &&
    !present('AUTH_TENANT_ID') &&
    !(present('AUTH_ISSUER') && present('AUTH_JWKS_URI'))
  ) {
    problems.push(
      'AUTH_TENANT_ID: required with AUTH_AUDIENCE (or set both AUTH_ISSUER and AUTH_JWKS_URI)',
    );
  }
  if (user === 'on-behalf-of' && (!present('AUTH_AUDIENCE') || appService)) {
    problems.push(
      "PARTNER_CENTER_USER_CREDENTIAL: on-behalf-of exchanges the caller's token: set AUTH_AUDIENCE with bearer-token identity",
    );
  }

  const connection = present('STORAGE_CONNECTION_STRING') || present('AzureWebJobsStorage');
  if (!connection && !present('STORAGE_TABLE_ENDPOINT')) {
    problems.push(
      'STORAGE_CONNECTION_STRING: set STORAGE_CONNECTION_STRING, AzureWebJobsStorage or STORAGE_TABLE_ENDPOINT',
    );
  }
  if (!connection && present('STORAGE_TABLE_ENDPOINT') && !present('STORAGE_QUEUE_ENDPOINT')) {
    problems.push('STORAGE_QUEUE_ENDPOINT: required with STORAGE_TABLE_ENDPOINT');
  }
  return problems;
}

/** The Secure Application Model reads its refresh token from exactly one place. */
function refreshTokenSourceProblems(present: (name: string) => boolean, when: string): string[] {
  const inSetting = present('PARTNER_CENTER_REFRESH_TOKEN');
  const inSecret = present('PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI');
  if (inSetting && inSecret) {
    return [
      'PARTNER_CENTER_REFRESH_TOKEN: set it or PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI, not both (the secret is read and rolled in Key Vault; the setting is rolled in memory only)',
    ];
  }
  if (!inSetting && !inSecret) {
    return [
      `PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI: required when ${when} (or PARTNER_CENTER_REFRESH_TOKEN)`,
    ];
  }
  return [];
}
