/**
 * `npm run package [-- --out <folder>]`: the deployment package the Function App runs, built
 * into <folder> (default .package/):
 *   app/   compiled functions/ and shared/ (no dev/, tests or source maps), host.json, a
 *          package.json with the production dependencies, and those dependencies installed
 *          exactly as package-lock.json pins them — the folder azd deploys (azure.yaml `dist`);
 *   partner-qualifications-gateway.zip   the same folder as one zip, for any other deployment.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { z } from 'zod';

export const PACKAGE_ZIP = 'partner-qualifications-gateway.zip';

/** What of the compiled tree the Functions host loads: the entry point and what it imports. */
const RUNTIME_FOLDERS = ['functions', 'shared'] as const;

/** Zip entries carry this time, so the same sources give the same zip. */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

const packageJsonSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  type: z.literal('module'),
  main: z.string().startsWith('dist/'),
  engines: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()),
});

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Copies the compiled JavaScript of one folder, leaving source maps behind. */
function copyCompiled(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => statSync(source).isDirectory() || source.endsWith('.js'),
  });
}

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

export function packageApp(out: string): { app: string; zip: string } {
  const build = join(out, 'build');
  const app = join(out, 'app');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });

  run(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', build],
    root,
  );
  for (const folder of RUNTIME_FOLDERS)
    copyCompiled(join(build, folder), join(app, 'dist', folder));
  cpSync(join(root, 'host.json'), join(app, 'host.json'));

  // Install with the project's own package.json and lockfile (npm ci needs both as they are),
  // then keep only what the runtime reads of package.json.
  const manifest = packageJsonSchema.parse(
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
  );
  cpSync(join(root, 'package.json'), join(app, 'package.json'));
  cpSync(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
  run(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    app,
  );
  rmSync(join(app, 'package-lock.json'));
  const { name, version, description, type, main, engines, dependencies } = manifest;
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name, version, description, private: true, type, main, engines, dependencies }, null, 2)}\n`,
  );
  rmSync(build, { recursive: true, force: true });

  const zip = join(out, PACKAGE_ZIP);
  writeFileSync(zip, zipSync(zippable(app), { level: 9 }));
  return { app, zip };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: '.package' } } });
  const { app, zip } = packageApp(resolve(root, values.out));
  console.log(`Deployment package: ${relative(root, app)}/ and ${relative(root, zip)}`);
}
