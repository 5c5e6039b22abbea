import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSimulatorEnv } from '../../dev/partner-center-simulator/cli-config.js';

const MAIN = fileURLToPath(new URL('../../dev/partner-center-simulator/main.ts', import.meta.url));

describe('parseSimulatorEnv', () => {
  it('applies the documented defaults, treating empty values as unset', () => {
    expect(parseSimulatorEnv({ SIMULATOR_PORT: '' })).toStrictEqual({
      ok: true,
      config: {
        port: 7072,
        host: '127.0.0.1',
        vettingDelaySeconds: 120,
        rateLimitPerSecond: undefined,
        emitVettingCreatedDate: false,
      },
    });
  });

  it('reads every variable', () => {
    expect(
      parseSimulatorEnv({
        SIMULATOR_PORT: '0',
        SIMULATOR_HOST: '0.0.0.0',
        SIMULATOR_VETTING_DELAY_SECONDS: '0',
        SIMULATOR_RATE_LIMIT_PER_SECOND: '2.5',
        SIMULATOR_EMIT_VETTING_CREATED_DATE: 'true',
      }),
    ).toStrictEqual({
      ok: true,
      config: {
        port: 0,
        host: '0.0.0.0',
        vettingDelaySeconds: 0,
        rateLimitPerSecond: 2.5,
        emitVettingCreatedDate: true,
      },
    });
  });

  it('names every bad variable', () => {
    const result = parseSimulatorEnv({
      SIMULATOR_PORT: '70000',
      SIMULATOR_VETTING_DELAY_SECONDS: '-5',
      SIMULATOR_RATE_LIMIT_PER_SECOND: '0',
      SIMULATOR_EMIT_VETTING_CREATED_DATE: 'yes',
    });
    expect(result).toStrictEqual({
      ok: false,
      errors: [
        'SIMULATOR_PORT: must be at most 65535',
        'SIMULATOR_VETTING_DELAY_SECONDS: must be a whole number from 0 to 31536000',
        'SIMULATOR_RATE_LIMIT_PER_SECOND: must be a positive number',
        'SIMULATOR_EMIT_VETTING_CREATED_DATE: must be true or false',
      ],
    });
  });
});

function run(env: Record<string, string>, stopAfterStart: boolean) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stopAfterStart && stdout.includes('Seeded customers')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run simulator (main.ts)', () => {
  it('exits 1 with a clear message on a bad setting', async () => {
    const result = await run({ SIMULATOR_PORT: 'seven' }, false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SIMULATOR_PORT: must be a whole number from 0 to 65535');
  });

  it('prints the URL and seeded ids, and stops on SIGTERM', async () => {
    const result = await run({ SIMULATOR_PORT: '0' }, true);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain('11111111-1111-4111-8111-111111111111');
  });
});
