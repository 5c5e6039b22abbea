import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../dev/free-port.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STARTED_LINE = 'Ctrl-C stops everything';

/** `npm start`'s program (compiled, as `npm start` runs it) in a process of its own. */
export interface GatewayProcess {
  readonly origin: string;
  readonly pid: number;
  /** CPU time the process has used so far, in ms (user + system, from /proc). */
  cpuMs(): number | undefined;
  output(): string;
  close(): Promise<void>;
}

/** `npm run build`, then `node dist/dev/start.js` with the given settings, until it is up. */
export async function startGatewayProcess(
  settings: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<GatewayProcess> {
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
    },
  );
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, 'dist/dev/start.js'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: String(port), ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('npm start did not start');
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (!output.includes(STARTED_LINE)) {
    if (Date.now() - started > 60_000 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    pid,
    cpuMs: () => processCpuMs(pid),
    output: () => output,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const exited = await Promise.race([
        once(child, 'exit').then(() => true),
        new Promise<boolean>((done) =>
          setTimeout(() => {
            done(false);
          }, 5_000),
        ),
      ]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/** utime + stime of a process, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}
