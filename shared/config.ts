import {
  deriveEntraIdEndpoints,
  inboundAuthConfigProblems,
  type InboundAuthMode,
} from './auth/inbound-auth-config.js';
import { eventSettingsProblems, eventsConfigOf } from './events/event-settings.js';
import type { PartnerCenterIdentityConfig } from './identity/partner-center-credentials.js';
import { ConfigurationError } from './configuration-error.js';
import { crossSettingProblems, settingsSchema, type Settings } from './settings.js';
import { telemetryConfigOf } from './telemetry/telemetry-config.js';

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;

/** Parses the environment; throws a ConfigurationError naming every bad setting. */
export function loadConfig(rawEnv: Readonly<Record<string, string | undefined>>): Config {
  // An empty app setting means "not set", as it does in the portal and local.settings.json.
  const env = Object.fromEntries(
    Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const unresolved = Object.entries(env)
    .filter(([, value]) => value !== undefined && KEY_VAULT_REFERENCE.test(value))
    .map(
      ([name]) =>
        `${name}: is an unresolved Key Vault reference (check the app's identity and the vault's access policy)`,
    );
  const parsed = settingsSchema.safeParse(env);
  const problems = [
    ...unresolved,
    ...(parsed.success
      ? []
      : parsed.error.issues.map(
          (issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`,
        )),
    ...crossSettingProblems(env),
    ...(parsed.success ? eventSettingsProblems(parsed.data) : []),
  ];
  const inboundAuth = parsed.success ? inboundAuthOf(parsed.data) : undefined;
  if (inboundAuth?.kind === 'bearer-token') {
    problems.push(...inboundAuthConfigProblems(inboundAuth.validation).map((p) => `AUTH: ${p}`));
  }
  if (!parsed.success || inboundAuth === undefined || problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return toConfig(parsed.data, inboundAuth);
}

/**
 * The gateway's configuration, parsed once at start-up from the app settings (see settings.ts):
 * each section in the shape its consumer takes, so the composition root hands it on as it is.
 */
export type Config = ReturnType<typeof toConfig>;

function toConfig(s: Settings, inboundAuth: InboundAuthMode) {
  const connectionString = s.STORAGE_CONNECTION_STRING ?? s.AzureWebJobsStorage;
  return {
    partnerCenter: {
      baseUrl: new URL(s.PARTNER_CENTER_BASE_URL),
      scope: s.PARTNER_CENTER_SCOPE,
      timeoutMs: s.PARTNER_CENTER_TIMEOUT_MS,
      // Half the call's deadline by default: a hung attempt still leaves time for one retry.
      attemptTimeoutMs:
        s.PARTNER_CENTER_ATTEMPT_TIMEOUT_MS ?? Math.ceil(s.PARTNER_CENTER_TIMEOUT_MS / 2),
      maxRetries: s.PARTNER_CENTER_MAX_RETRIES,
      retryBaseMs: s.PARTNER_CENTER_RETRY_BASE_MS,
      maxConcurrentCalls: s.PARTNER_CENTER_MAX_CONCURRENT_CALLS,
      /** Partner Center's own breaker, and each identity's for its token requests. */
      breaker: {
        failureThreshold: s.PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD,
        openSeconds: s.PARTNER_CENTER_CIRCUIT_OPEN_SECONDS,
      },
    },
    partnerCenterIdentity: {
      credential: s.PARTNER_CENTER_CREDENTIAL,
      userCredential:
        s.PARTNER_CENTER_USER_CREDENTIAL ??
        (s.PARTNER_CENTER_CREDENTIAL === 'simulator' ? 'simulator' : 'none'),
      tenantId: s.PARTNER_CENTER_TENANT_ID,
      clientId: s.PARTNER_CENTER_CLIENT_ID,
      clientSecret: s.PARTNER_CENTER_CLIENT_SECRET,
      certificatePath: s.PARTNER_CENTER_CERTIFICATE_PATH,
      refreshToken: s.PARTNER_CENTER_REFRESH_TOKEN,
      refreshTokenSecretUri: s.PARTNER_CENTER_REFRESH_TOKEN_SECRET_URI,
      authorityHost: s.PARTNER_CENTER_AUTHORITY_HOST,
    } satisfies PartnerCenterIdentityConfig,
    inboundAuth,
    storage:
      connectionString !== undefined
        ? {
            kind: 'connection-string' as const,
            connectionString,
            tablePrefix: s.STORAGE_TABLE_PREFIX,
          }
        : {
            kind: 'endpoint' as const,
            // crossSettingProblems guarantees both endpoints in this case.
            tableEndpoint: s.STORAGE_TABLE_ENDPOINT ?? '',
            queueEndpoint: s.STORAGE_QUEUE_ENDPOINT ?? '',
            tablePrefix: s.STORAGE_TABLE_PREFIX,
          },
    cacheMaxAgeSeconds: s.CACHE_MAX_AGE_SECONDS,
    syncWriteIntervalMs: s.CACHE_SYNC_WRITE_INTERVAL_SECONDS * 1000,
    recentRecords: {
      maxAgeMs: s.CACHE_MEMORY_MAX_AGE_MS,
      maxEntries: s.CACHE_MEMORY_MAX_ENTRIES,
    },
    vettingRefresh: {
      schedule: s.VETTING_REFRESH_SCHEDULE,
      budgetMs: s.VETTING_REFRESH_BUDGET_SECONDS * 1000,
      maxCalls: s.VETTING_REFRESH_MAX_CALLS,
      concurrency: s.VETTING_REFRESH_CONCURRENCY,
    },
    events: eventsConfigOf(s),
    telemetry: telemetryConfigOf(s),
  };
}

function inboundAuthOf(s: Settings): InboundAuthMode {
  const allowed =
    s.AUTH_ALLOWED_CLIENT_IDS === undefined ? {} : { allowedClientIds: s.AUTH_ALLOWED_CLIENT_IDS };
  if (s.AUTH_IDENTITY_SOURCE === 'app-service-authentication') {
    return { kind: 'app-service-authentication', ...allowed };
  }
  if (s.AUTH_AUDIENCE === undefined) return { kind: 'off' };
  const derived =
    s.AUTH_TENANT_ID === undefined
      ? undefined
      : deriveEntraIdEndpoints(s.AUTH_TENANT_ID, s.AUTH_AUTHORITY_HOST);
  return {
    kind: 'bearer-token',
    ...allowed,
    validation: {
      audience: s.AUTH_AUDIENCE.split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
      // crossSettingProblems guarantees a tenant or both overrides.
      issuer: s.AUTH_ISSUER ?? derived?.issuer ?? '',
      jwksUri: s.AUTH_JWKS_URI ?? derived?.jwksUri ?? '',
      tenantId: s.AUTH_TENANT_ID,
    },
  };
}
