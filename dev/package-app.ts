/**
 * `npm run package [-- --out <folder>]`: the deployment package the Function App runs, built
 * into <folder> (default .package/):
 *   app/   the gateway bundled by esbuild: `main` (dist/functions/index.js) is one file holding
 *          the gateway and every dependency it loads at start; what it loads only when first
 *          needed (Key Vault, MSAL, telemetry exporters, the OpenAPI document) sits beside it in
 *          dist/chunks/. Then host.json and a package.json with the runtime's fields. No
 *          node_modules: nothing is installed or built on Azure. The folder azd deploys
 *          (azure.yaml `dist`);
 *   partner-qualifications-gateway.zip   the same folder as one zip, for any other deployment.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import * as z from 'zod';
import { bundleGateway } from './bundle-gateway.js';

export const PACKAGE_ZIP = 'partner-qualifications-gateway.zip';

/** The entry point's source; bundled to package.json `main`. */
const ENTRY_SOURCE = 'functions/index.ts';

/** Zip entries carry this time, so the same sources give the same zip. */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

const packageJsonSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  type: z.literal('module'),
  main: z.string().startsWith('dist/'),
  engines: z.record(z.string(), z.string()).optional(),
});

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under `folder`, keyed by its path inside the zip (forward slashes). */
function zippable(folder: string): Zippable {
  const files: Zippable = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        files[relative(folder, path).split(sep).join('/')] = [
          readFileSync(path),
          { mtime: FIXED_MTIME },
        ];
      }
    }
  };
  walk(folder);
  return files;
}

export async function packageApp(out: string): Promise<{ app: string; zip: string }> {
  const app = join(out, 'app');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });

  const manifest = packageJsonSchema.parse(
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
  );
  const { name, version, description, type, main, engines } = manifest;
  await bundleGateway({ root, entry: ENTRY_SOURCE, outfile: join(app, main) });
  cpSync(join(root, 'host.json'), join(app, 'host.json'));
  // What the runtime reads of package.json; no dependencies: they are in the bundle.
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name, version, description, private: true, type, main, engines }, null, 2)}\n`,
  );

  const zip = join(out, PACKAGE_ZIP);
  writeFileSync(zip, zipSync(zippable(app), { level: 9 }));
  return { app, zip };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: '.package' } } });
  const { app, zip } = await packageApp(resolve(root, values.out));
  console.log(`Deployment package: ${relative(root, app)}/ and ${relative(root, zip)}`);
}
