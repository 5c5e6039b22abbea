import { z } from 'zod';

/**
 * The gateway's settings, parsed once at start-up. Every bad or missing setting is named in one
 * error, and the process does not start with any of them wrong.
 */
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const settingsSchema = z.object({
  PARTNER_CENTER_BASE_URL: z.url({ protocol: /^https?$/ }),
  PARTNER_CENTER_CREDENTIAL: z
    .enum(['client-secret', 'managed-identity', 'simulator'])
    .default('client-secret'),
  PARTNER_CENTER_TENANT_ID: optionalText,
  PARTNER_CENTER_CLIENT_ID: optionalText,
  PARTNER_CENTER_CLIENT_SECRET: optionalText,
  PARTNER_CENTER_AUTHORITY_HOST: z
    .url({ protocol: /^https$/ })
    .default('https://login.microsoftonline.com'),
  PARTNER_CENTER_SCOPE: z
    .string()
    .min(1)
    .default('https://api.partnercenter.microsoft.com/.default'),
  PARTNER_CENTER_TIMEOUT_MS: integer(20_000, 1_000, 120_000),
  PARTNER_CENTER_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).optional(),
  PARTNER_CENTER_MAX_RETRIES: integer(3, 0, 5),
  PARTNER_CENTER_RETRY_BASE_MS: integer(500, 10, 10_000),
  PARTNER_CENTER_MAX_CONCURRENT_CALLS: integer(32, 1, 1_000),
  PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD: integer(5, 1, 100),
  PARTNER_CENTER_CIRCUIT_OPEN_SECONDS: integer(30, 1, 3_600),
  STORAGE_CONNECTION_STRING: optionalText,
  AzureWebJobsStorage: optionalText,
  STORAGE_TABLE_ENDPOINT: z.url().optional(),
  STORAGE_QUEUE_ENDPOINT: z.url().optional(),
  STORAGE_TABLE_PREFIX: z
    .string()
    .regex(/^([A-Za-z][A-Za-z0-9]{0,30})?$/, 'letters and digits only, starting with a letter')
    .default(''),
  CACHE_MAX_AGE_SECONDS: integer(3_600, 0, 30 * 24 * 3_600),
  VETTING_REFRESH_SCHEDULE: z
    .string()
    .trim()
    .regex(/^\S+( \S+){5}$/, 'must be a six-field NCRONTAB expression, e.g. 0 */15 * * * *')
    .default('0 */15 * * * *'),
  VETTING_REFRESH_BUDGET_SECONDS: integer(240, 5, 3_600),
  VETTING_REFRESH_MAX_CALLS: integer(5_000, 1, 1_000_000),
  VETTING_REFRESH_CONCURRENCY: integer(8, 1, 64),
});

/**
 * Rules across settings, checked on the raw values so that they are reported together with
 * every per-setting problem rather than only once those are fixed.
 */
function crossSettingProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  const present = (name: string): boolean => (env[name] ?? '').trim() !== '';
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
  const credential = env.PARTNER_CENTER_CREDENTIAL ?? 'client-secret';
  if (credential === 'simulator' && upstream !== undefined && !onLoopback) {
    problems.push(
      'PARTNER_CENTER_CREDENTIAL: simulator credentials are only for a Partner Center simulator on loopback',
    );
  }
  if (credential === 'client-secret') {
    for (const name of [
      'PARTNER_CENTER_TENANT_ID',
      'PARTNER_CENTER_CLIENT_ID',
      'PARTNER_CENTER_CLIENT_SECRET',
    ]) {
      if (!present(name)) {
        problems.push(`${name}: required when PARTNER_CENTER_CREDENTIAL=client-secret`);
      }
    }
  }
  if (
    !['STORAGE_CONNECTION_STRING', 'AzureWebJobsStorage', 'STORAGE_TABLE_ENDPOINT'].some(present)
  ) {
    problems.push(
      'STORAGE_CONNECTION_STRING: set STORAGE_CONNECTION_STRING, AzureWebJobsStorage or STORAGE_TABLE_ENDPOINT',
    );
  }
  return problems;
}

export type Settings = z.output<typeof settingsSchema>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface Config {
  readonly partnerCenter: {
    readonly baseUrl: URL;
    readonly credential: Settings['PARTNER_CENTER_CREDENTIAL'];
    readonly tenantId: string | undefined;
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly authorityHost: string;
    readonly scope: string;
    readonly timeoutMs: number;
    readonly attemptTimeoutMs: number;
    readonly maxRetries: number;
    readonly retryBaseMs: number;
    readonly maxConcurrentCalls: number;
    readonly circuitFailureThreshold: number;
    readonly circuitOpenSeconds: number;
  };
  readonly storage:
    | {
        readonly kind: 'connection-string';
        readonly connectionString: string;
        readonly tablePrefix: string;
      }
    | {
        readonly kind: 'endpoint';
        readonly tableEndpoint: string;
        readonly queueEndpoint: string;
        readonly tablePrefix: string;
      };
  readonly cacheMaxAgeSeconds: number;
  readonly vettingRefresh: {
    readonly schedule: string;
    readonly budgetMs: number;
    readonly maxCalls: number;
    readonly concurrency: number;
  };
}

/** Parses the environment; throws a ConfigurationError naming every bad setting. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const unresolved = Object.entries(env)
    .filter(([, value]) => value !== undefined && KEY_VAULT_REFERENCE.test(value))
    .map(
      ([name]) =>
        `${name}: is an unresolved Key Vault reference (check the app's identity and access policy)`,
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
  ];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const s = parsed.data;
  const connectionString = s.STORAGE_CONNECTION_STRING ?? s.AzureWebJobsStorage;
  return {
    partnerCenter: {
      baseUrl: new URL(s.PARTNER_CENTER_BASE_URL),
      credential: s.PARTNER_CENTER_CREDENTIAL,
      tenantId: s.PARTNER_CENTER_TENANT_ID,
      clientId: s.PARTNER_CENTER_CLIENT_ID,
      clientSecret: s.PARTNER_CENTER_CLIENT_SECRET,
      authorityHost: s.PARTNER_CENTER_AUTHORITY_HOST,
      scope: s.PARTNER_CENTER_SCOPE,
      timeoutMs: s.PARTNER_CENTER_TIMEOUT_MS,
      // Half the call's deadline by default: a hung attempt still leaves time for one retry.
      attemptTimeoutMs:
        s.PARTNER_CENTER_ATTEMPT_TIMEOUT_MS ?? Math.ceil(s.PARTNER_CENTER_TIMEOUT_MS / 2),
      maxRetries: s.PARTNER_CENTER_MAX_RETRIES,
      retryBaseMs: s.PARTNER_CENTER_RETRY_BASE_MS,
      maxConcurrentCalls: s.PARTNER_CENTER_MAX_CONCURRENT_CALLS,
      circuitFailureThreshold: s.PARTNER_CENTER_CIRCUIT_FAILURE_THRESHOLD,
      circuitOpenSeconds: s.PARTNER_CENTER_CIRCUIT_OPEN_SECONDS,
    },
    storage:
      connectionString !== undefined
        ? { kind: 'connection-string', connectionString, tablePrefix: s.STORAGE_TABLE_PREFIX }
        : {
            kind: 'endpoint',
            // crossSettingProblems guarantees one of the three sources is set.
            tableEndpoint: s.STORAGE_TABLE_ENDPOINT ?? '',
            queueEndpoint: s.STORAGE_QUEUE_ENDPOINT ?? '',
            tablePrefix: s.STORAGE_TABLE_PREFIX,
          },
    cacheMaxAgeSeconds: s.CACHE_MAX_AGE_SECONDS,
    vettingRefresh: {
      schedule: s.VETTING_REFRESH_SCHEDULE,
      budgetMs: s.VETTING_REFRESH_BUDGET_SECONDS * 1000,
      maxCalls: s.VETTING_REFRESH_MAX_CALLS,
      concurrency: s.VETTING_REFRESH_CONCURRENCY,
    },
  };
}
