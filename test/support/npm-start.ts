import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { freePort } from '../../dev/free-port.js';

/** `npm start`'s program (dev/start.ts) running as a child process. */
export interface RunningNpmStart {
  readonly child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** The gateway's API base, origin + /api/v1. */
  readonly api: string;
  readonly simulatorUrl: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/**
 * Starts `npm start`'s program as a newcomer runs it, on ports of its own and with the suite's
 * Azurite standing in for the embedded one, and waits until it says it is up.
 */
export async function startNpmStart(settings: Record<string, string>): Promise<RunningNpmStart> {
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${String(port)}`;
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'dev/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (!output.includes('Ctrl-C stops everything')) {
    if (Date.now() - started > 30_000 || child.exitCode !== null) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    origin,
    api: `${origin}/api/v1`,
    simulatorUrl: `http://127.0.0.1:${String(simulatorPort)}`,
    output: () => output,
  };
}
