/**
 * `npm run package`: the zip the Function App runs holds the compiled gateway and its production
 * dependencies, loads from where it is unpacked, and holds nothing else.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ZIP } from '../../dev/package-app.js';
import { operations } from '../../shared/api/operations.js';
import { REFRESH_PENDING_VETTING } from '../../functions/register-functions.js';
import { REPO } from './bicep.js';

const run = promisify(execFile);

interface Manifest {
  main: string;
  type: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: unknown;
}

/** Settings with which the gateway starts without reaching anything (it connects lazily). */
const STARTABLE_SETTINGS = {
  PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:9',
  PARTNER_CENTER_CREDENTIAL: 'simulator',
  STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
};

describe('the deployment package (npm run package)', () => {
  let out: string;
  let unpacked: string;
  let entries: string[];
  let repoManifest: Manifest & { devDependencies: Record<string, string> };

  beforeAll(async () => {
    repoManifest = JSON.parse(
      await readFile(join(REPO, 'package.json'), 'utf8'),
    ) as typeof repoManifest;
    out = await mkdtemp(join(tmpdir(), 'gateway-package-'));
    await run('npm', ['run', 'package', '--', '--out', out], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = unzipSync(await readFile(join(out, PACKAGE_ZIP)));
    entries = Object.keys(files);
    unpacked = join(out, 'unpacked');
    for (const [path, content] of Object.entries(files)) {
      const target = join(unpacked, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }, 300_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('holds the compiled gateway, host.json, package.json and node_modules, nothing else', () => {
    const outside = entries.filter(
      (path) =>
        !path.startsWith('dist/functions/') &&
        !path.startsWith('dist/shared/') &&
        !path.startsWith('node_modules/') &&
        path !== 'host.json' &&
        path !== 'package.json',
    );
    expect(outside).toEqual([]);
    const compiled = entries.filter((path) => path.startsWith('dist/'));
    expect(compiled.filter((path) => !path.endsWith('.js'))).toEqual([]);
    expect(compiled).toContain('dist/functions/index.js');
    expect(compiled.filter((path) => /\.test\.|\/test\/|\/dev\//.test(path))).toEqual([]);
  });

  it('leaves out development dependencies, local settings and data', () => {
    for (const name of Object.keys(repoManifest.devDependencies)) {
      expect(
        entries.some((path) => path.startsWith(`node_modules/${name}/`)),
        name,
      ).toBe(false);
    }
    expect(
      entries.filter((path) => /(^|\/)(local\.settings\.json|\.env|\.data\/)/.test(path)),
    ).toEqual([]);
    expect(entries.filter((path) => path.startsWith('node_modules/.bin/'))).toEqual([]);
  });

  it("carries every production dependency and a package.json with the runtime's fields only", async () => {
    for (const name of Object.keys(repoManifest.dependencies)) {
      expect(entries, name).toContain(`node_modules/${name}/package.json`);
    }
    const manifest = JSON.parse(await readFile(join(unpacked, 'package.json'), 'utf8')) as Manifest;
    expect(manifest.main).toBe(repoManifest.main);
    expect(manifest.type).toBe('module');
    expect(manifest.dependencies).toEqual(repoManifest.dependencies);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
    expect(await readFile(join(unpacked, 'host.json'), 'utf8')).toBe(
      await readFile(join(REPO, 'host.json'), 'utf8'),
    );
  });

  it('loads its main where it is unpacked and registers every function', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--input-type=module', '-e', `await import('./${repoManifest.main}');`],
      { cwd: unpacked, env: { PATH: process.env.PATH, ...STARTABLE_SETTINGS } },
    );
    // Outside the Functions host, @azure/functions names each registration it skips.
    const output = `${stdout}${stderr}`;
    const functionNames = [
      ...Object.values(operations).map((operation) => operation.functionName),
      REFRESH_PENDING_VETTING,
    ];
    for (const name of functionNames) expect(output).toContain(`register function "${name}"`);
  }, 60_000);

  it('loads its main with Application Insights configured, as in Azure (exporters, instrumentation)', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import('./${repoManifest.main}'); console.log('main loaded'); process.exit(0);`,
      ],
      {
        cwd: unpacked,
        env: {
          PATH: process.env.PATH,
          ...STARTABLE_SETTINGS,
          APPLICATIONINSIGHTS_CONNECTION_STRING:
            'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
          APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        },
      },
    );
    expect(stdout).toContain('main loaded');
    expect(`${stdout}${stderr}`).toContain(`register function "${REFRESH_PENDING_VETTING}"`);
  }, 60_000);

  it('refuses to start without its settings, naming them', async () => {
    const failed = run(
      process.execPath,
      ['--input-type=module', '-e', `await import('./${repoManifest.main}');`],
      { cwd: unpacked, env: { PATH: process.env.PATH } },
    );
    await expect(failed).rejects.toMatchObject({
      stderr: expect.stringContaining('PARTNER_CENTER_BASE_URL') as unknown,
    });
  }, 60_000);
});
