/**
 * Cold-start benchmark (P4): the deployment package's `main` (what `npm run package` builds and
 * the template deploys) imported in a fresh Node.js process, beside a hello-world Azure Functions
 * v4 app (one HTTP function, `@azure/functions` from node_modules) imported the same way, the two
 * interleaved; prints the ratio of the medians. Checks from outside that each import registered
 * its functions (outside the Functions host, `@azure/functions` names each registration it
 * skips). Run: `npx tsx bench/cold-start.ts [--samples N] [--package <app folder>]`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { packageApp } from '../dev/package-app.js';
import { operations } from '../shared/api/operations.js';
import { REFRESH_PENDING_VETTING } from '../functions/register-functions.js';
import { interleaved, median, ratioLine } from './samples.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 2.0;

/** Settings with which the gateway starts without reaching anything (it connects lazily). */
const STARTABLE_SETTINGS = {
  PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:9',
  PARTNER_CENTER_CREDENTIAL: 'simulator',
  STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
};

const HELLO_WORLD = `import { app } from '@azure/functions';
app.http('hello', { methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ body: 'Hello, world!' }) });
`;

/** Imports `main` in a fresh process; the time the import took, and what the process printed. */
async function importOnce(main: string, cwd: string): Promise<{ ms: number; output: string }> {
  const script =
    'const started = performance.now();' +
    `await import(${JSON.stringify(pathToFileURL(main).href)});` +
    'console.log(`IMPORT_MS=${performance.now() - started}`); process.exit(0);';
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { PATH: process.env.PATH, ...STARTABLE_SETTINGS },
  });
  const ms = Number(/IMPORT_MS=([\d.]+)/.exec(stdout)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`no import time from ${main}:\n${stdout}${stderr}`);
  return { ms, output: `${stdout}${stderr}` };
}

function helloWorldApp(dir: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@azure'), { recursive: true });
  symlinkSync(
    join(root, 'node_modules/@azure/functions'),
    join(dir, 'node_modules/@azure/functions'),
  );
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "main": "src/index.js" }\n');
  writeFileSync(join(dir, 'src/index.js'), HELLO_WORLD);
  return join(dir, 'src/index.js');
}

export async function coldStart(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { samples: { type: 'string', default: '20' }, package: { type: 'string' } },
  });
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 500) {
    console.error('--samples: a whole number from 1 to 500');
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'cold-start-'));
  try {
    let app = values.package === undefined ? undefined : resolve(values.package);
    if (app === undefined) {
      console.log('Packaging the gateway (npm run package) …');
      app = (await packageApp(join(work, 'package'))).app;
    }
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      main: string;
    };
    const gatewayMain = join(app, manifest.main);
    const helloMain = helloWorldApp(join(work, 'hello'));
    console.log(
      `Cold start: ${samples} fresh processes each, interleaved; ${availableParallelism()} cores, ` +
        `load average ${loadavg()[0]?.toFixed(2) ?? '?'} (other work on the machine skews the numbers)`,
    );
    // One of each first, unmeasured: the file system cache warm for both, as on a host.
    const gatewayFirst = await importOnce(gatewayMain, app);
    const helloFirst = await importOnce(helloMain, dirname(helloMain));
    const times = await interleaved(
      samples,
      async () => (await importOnce(gatewayMain, app)).ms,
      async () => (await importOnce(helloMain, dirname(helloMain))).ms,
    );
    const gateway = median(times.a);
    const hello = median(times.b);
    const ratio = gateway / hello;
    console.log(
      `  import of main, median: gateway ${gateway.toFixed(0)} ms, hello world ${hello.toFixed(0)} ms`,
    );
    console.log(ratioLine('P4', ratio, `≤ ${TARGET.toFixed(1)}`, ratio <= TARGET));

    const expected = [
      ...Object.values(operations).map((operation) => operation.functionName),
      REFRESH_PENDING_VETTING,
    ];
    const missing = expected.filter(
      (name) => !gatewayFirst.output.includes(`register function "${name}"`),
    );
    const checks = [
      {
        name: 'the packaged main registered every function',
        ok: missing.length === 0,
        detail: missing.join(', '),
      },
      {
        name: 'the hello world registered its function',
        ok: helloFirst.output.includes('register function "hello"'),
        detail: '',
      },
    ];
    for (const c of checks)
      console.log(`  check: ${c.name}: ${c.ok ? 'ok' : `FAILED ${c.detail}`}`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
