/**
 * `npm run package`: the zip the Function App runs holds the gateway bundled (main one file with
 * its dependencies, what loads on first need beside it), loads from where it is unpacked with no
 * node_modules, and holds nothing else.
 */
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  dependencies?: Record<string, string>;
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

  it('holds the bundled gateway, host.json and package.json, nothing else (no node_modules)', () => {
    const outside = entries.filter(
      (path) =>
        !path.startsWith('dist/functions/') && path !== 'host.json' && path !== 'package.json',
    );
    expect(outside).toEqual([]);
    const bundled = entries.filter((path) => path.startsWith('dist/'));
    expect(bundled).toContain(repoManifest.main);
    // Beside main: only the bundles of what it imports on first need, and licence notices.
    const beside = bundled.filter((path) => path !== repoManifest.main);
    expect(
      beside.filter((path) => !/^dist\/functions\/lazy-[\w-]+\.js(\.LEGAL\.txt)?$/.test(path)),
    ).toEqual([`${repoManifest.main}.LEGAL.txt`]);
    expect(entries.filter((path) => /\.test\.|\/test\/|\/dev\/|\.map$|\.ts$/.test(path))).toEqual(
      [],
    );
  });

  it('main is one module: it imports nothing but Node built-ins, the rest only on first need', async () => {
    const main = await readFile(join(unpacked, repoManifest.main), 'utf8');
    const staticImports = [
      ...main.matchAll(/(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+)["']/g),
    ].map((match) => match[1]);
    expect(
      staticImports.filter(
        (specifier) =>
          specifier === undefined ||
          !(specifier.startsWith('node:') || builtinModules.includes(specifier)),
      ),
    ).toEqual([]);
    // Loaded on first need: identity and MSAL, Key Vault, the OpenAPI document.
    const lazy = entries.filter((path) => /lazy-.*\.js$/.test(path)).join(' ');
    for (const name of [
      'azure-identity',
      'refresh-token-credential',
      'key-vault-refresh-token-store',
      'openapi-document',
    ]) {
      expect(lazy, name).toContain(`lazy-${name}-`);
    }
  });

  it('keeps what operations answer out of main: only the OpenAPI document reads it', async () => {
    const main = await readFile(join(unpacked, repoManifest.main), 'utf8');
    const documentBundle = entries.find((path) => /lazy-openapi-document-[\w-]+\.js$/.test(path));
    expect(documentBundle).toBeDefined();
    const document = await readFile(join(unpacked, documentBundle ?? ''), 'utf8');
    // A response description, a response body's schema description and a response example.
    for (const text of [
      'Nothing changed since the ETag sent in If-None-Match.',
      'RFC 9457 problem details.',
      'Contoso Government Services',
    ]) {
      expect(main, text).not.toContain(text);
      expect(document, text).toContain(text);
    }
  });

  it("keeps the XML parser out of main: the Table client's parseXML loads it on first need", async () => {
    const main = await readFile(join(unpacked, repoManifest.main), 'utf8');
    // fast-xml-parser's own message for a tag left open.
    expect(main).not.toContain('Unclosed tag');
    expect(main).toContain('XML request bodies are not part of the gateway');
    const xmlBundle = entries.find((path) => /lazy-azure-core-xml-[\w-]+\.js$/.test(path));
    expect(xmlBundle).toBeDefined();
    const xml = (await import(pathToFileURL(join(unpacked, xmlBundle ?? '')).href)) as {
      parseXML: (text: string) => Promise<unknown>;
    };
    expect(await xml.parseXML('<Error><Code>TableNotFound</Code></Error>')).toEqual({
      Code: 'TableNotFound',
    });
  });

  it('keeps zod classic out of main: its schemas use zod/mini, the OpenAPI document alone classic', async () => {
    const main = await readFile(join(unpacked, repoManifest.main), 'utf8');
    const documentBundle = entries.find((path) => /lazy-openapi-document-[\w-]+\.js$/.test(path));
    const document = await readFile(join(unpacked, documentBundle ?? ''), 'utf8');
    // The names zod gives its schema classes survive minifying: classic's string schema, mini's.
    expect(main).not.toContain('"ZodString"');
    expect(main).toContain('"ZodMiniString"');
    expect(document).toContain('"ZodString"');
    // zod/mini loads no locale: main carries the English one, so messages read as before.
    expect(main).toContain('Too big: expected');
  });

  it('leaves out development dependencies, local settings and data', () => {
    expect(
      entries.filter((path) => /(^|\/)(local\.settings\.json|\.env|\.data\/)/.test(path)),
    ).toEqual([]);
    expect(entries.filter((path) => path.startsWith('node_modules/'))).toEqual([]);
  });

  it("carries a package.json with the runtime's fields only, and the repository's host.json", async () => {
    const manifest = JSON.parse(await readFile(join(unpacked, 'package.json'), 'utf8')) as Manifest;
    expect(manifest.main).toBe(repoManifest.main);
    expect(manifest.type).toBe('module');
    expect(manifest.dependencies).toBeUndefined();
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
