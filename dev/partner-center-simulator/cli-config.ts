import * as z from 'zod';

// An empty variable counts as unset, as in most shells' `VAR= npm run simulator`.
const unsetIfEmpty = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .default(fallback),
  );

const envSchema = z.object({
  SIMULATOR_PORT: integer(0, 65535, 7072),
  SIMULATOR_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  SIMULATOR_VETTING_DELAY_SECONDS: integer(0, 31_536_000, 120),
  SIMULATOR_RATE_LIMIT_PER_SECOND: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a positive number')
      .transform(Number)
      .pipe(z.number().positive('must be a positive number'))
      .optional(),
  ),
  SIMULATOR_EMIT_VETTING_CREATED_DATE: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  ),
});

export interface SimulatorCliConfig {
  port: number;
  host: string;
  vettingDelaySeconds: number;
  rateLimitPerSecond: number | undefined;
  emitVettingCreatedDate: boolean;
}

export type CliConfigResult =
  { ok: true; config: SimulatorCliConfig } | { ok: false; errors: string[] };

/** Every bad variable is named, so one start-up attempt shows all of them. */
export function parseSimulatorEnv(env: NodeJS.ProcessEnv): CliConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map(
        (issue) => `${issue.path.map(String).join('.')}: ${issue.message}`,
      ),
    };
  }
  const data = parsed.data;
  return {
    ok: true,
    config: {
      port: data.SIMULATOR_PORT,
      host: data.SIMULATOR_HOST,
      vettingDelaySeconds: data.SIMULATOR_VETTING_DELAY_SECONDS,
      rateLimitPerSecond: data.SIMULATOR_RATE_LIMIT_PER_SECOND,
      emitVettingCreatedDate: data.SIMULATOR_EMIT_VETTING_CREATED_DATE,
    },
  };
}
