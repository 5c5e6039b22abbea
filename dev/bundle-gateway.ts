/**
 * The gateway bundled with esbuild for the deployment package: `main` is one ES module holding
 * the entry point and everything it imports statically; each module it imports dynamically (the
 * code loaded on first need: @azure/identity and MSAL, Key Vault, telemetry exporters, the event
 * sinks' clients, the OpenAPI document, the XML parser) becomes a bundle of its own beside it,
 * read only when that import runs. A cold start then reads and compiles only what starting needs.
 */
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Provided by the Functions worker at run time (it answers `require('@azure/functions-core')`
 * itself), so never bundled: `@azure/functions` reaches the host through it.
 */
const PROVIDED_BY_THE_HOST = ['@azure/functions-core'];

/**
 * Packages that keep process-wide state in module variables: a lazily loaded bundle uses main's
 * copy (handed over on `globalThis`) instead of its own, so that, e.g., the Azure SDK clients it
 * holds see the instrumenter telemetry set. OpenTelemetry's API shares its state by itself.
 */
const SHARED_WITH_MAIN = ['@azure/core-tracing'];
const SHARED_KEY = 'partner-qualifications-gateway/shared-modules';

/**
 * An ES module bundle has no `require`; the CommonJS packages bundled into it (and
 * `@azure/functions` asking for the host's module) get Node's own, made for this file.
 */
const REQUIRE_SHIM =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; " +
  'const require = __gatewayCreateRequire(import.meta.url);';

const BUILTINS = new Set(builtinModules);

/**
 * zod's namespace carries every locale's messages (a quarter of main), reachable as
 * `z.locales.xx()`; the gateway speaks English only (zod's default, `en`), so the bundle keeps
 * that one and the others are left out.
 */
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

export interface BundleOptions {
  readonly root: string;
  /** The entry point's source, relative to root. */
  readonly entry: string;
  /** Where main goes (e.g. …/app/dist/functions/index.js); lazy bundles go beside it. */
  readonly outfile: string;
}

/** Bundles main and, one by one, every module it (or a lazy bundle) imports dynamically. */
export async function bundleGateway(options: BundleOptions): Promise<string[]> {
  const outdir = dirname(options.outfile);
  const lazy = new Map<string, string>(); // absolute source path → file name beside main
  const built = new Set<string>();
  const files: string[] = [];

  const bundleOne = async (source: string, outfile: string, isMain: boolean): Promise<void> => {
    const result = await build({
      absWorkingDir: options.root,
      ...(isMain
        ? { stdin: mainEntry(options.root, source), outfile }
        : { stdin: await lazyEntry(source), outfile }),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      minify: true,
      // The ES module build where a package has both: esbuild can leave out what is not used.
      mainFields: ['module', 'main'],
      external: PROVIDED_BY_THE_HOST,
      banner: { js: REQUIRE_SHIM },
      // The licences of the bundled packages, which their terms ask to keep with the copy.
      legalComments: 'linked',
      logLevel: 'error',
      plugins: [
        lazyBoundaries(lazy),
        englishOnly(),
        ...(isMain ? [xmlOnFirstNeed()] : []),
        isMain ? handOver(options.root) : sharedWithMain(),
      ],
    });
    if (result.errors.length > 0) throw new Error(`esbuild failed on ${source}`);
    files.push(outfile);
  };

  await bundleOne(join(options.root, options.entry), options.outfile, true);
  for (
    let pending = [...lazy];
    pending.length > 0;
    pending = [...lazy].filter(([s]) => !built.has(s))
  ) {
    for (const [source, name] of pending) {
      built.add(source);
      await bundleOne(source, join(outdir, name), false);
    }
  }
  return files;
}

const HAND_OVER = 'gateway:shared-modules';

/**
 * A lazy bundle's entry: the names Node gives the module's exports when it is imported (for a
 * CommonJS module, those its lexer finds, and `default`), exported one by one: as the entry point
 * itself, or through `export *`, esbuild exports a CommonJS module as `default` only.
 */
async function lazyEntry(
  source: string,
): Promise<{ contents: string; resolveDir: string; loader: 'js' }> {
  const names = Object.keys((await import(pathToFileURL(source).href)) as object);
  return {
    contents: `export { ${names.join(', ')} } from ${JSON.stringify(source)};\n`,
    resolveDir: dirname(source),
    loader: 'js',
  };
}

/** Main's entry: hands the shared packages over, then runs the gateway's entry point. */
function mainEntry(
  root: string,
  entry: string,
): { contents: string; resolveDir: string; loader: 'js' } {
  const path = relative(root, entry).split('\\').join('/');
  return {
    contents: `import '${HAND_OVER}';\nimport './${path}';\n`,
    resolveDir: root,
    loader: 'js',
  };
}

/** The module main imports first: its copies of the shared packages, put on `globalThis`. */
function handOver(root: string): Plugin {
  return {
    name: 'hand-over',
    setup(esbuild) {
      esbuild.onResolve({ filter: new RegExp(`^${HAND_OVER}$`) }, () => ({
        path: HAND_OVER,
        namespace: 'hand-over',
      }));
      esbuild.onLoad({ filter: /.*/, namespace: 'hand-over' }, () => ({
        contents: [
          ...SHARED_WITH_MAIN.map((name, i) => `import * as shared${String(i)} from '${name}';`),
          `globalThis[Symbol.for(${JSON.stringify(SHARED_KEY)})] = {`,
          ...SHARED_WITH_MAIN.map((name, i) => `  ${JSON.stringify(name)}: shared${String(i)},`),
          '};',
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

/** Each dynamic import of a bundled module becomes an import of its own bundle beside main. */
function lazyBoundaries(lazy: Map<string, string>): Plugin {
  return {
    name: 'lazy-boundaries',
    setup(esbuild) {
      esbuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || isBuiltin(args.path)) return undefined;
        if (args.pluginData === 'lazy-boundaries') return undefined;
        const resolved = await esbuild.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'lazy-boundaries',
        });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        let name = lazy.get(resolved.path);
        if (name === undefined) {
          name = lazyName(resolved.path);
          lazy.set(resolved.path, name);
        }
        return { path: `./${name}`, external: true };
      });
    },
  };
}

/** In a lazy bundle, the shared packages are main's copies. */
function sharedWithMain(): Plugin {
  const filter = new RegExp(
    `^(${SHARED_WITH_MAIN.map((n) => n.replace(/[/@-]/g, '\\$&')).join('|')})$`,
  );
  return {
    name: 'shared-with-main',
    setup(esbuild) {
      esbuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'shared-with-main' }));
      esbuild.onLoad({ filter: /.*/, namespace: 'shared-with-main' }, (args) => ({
        contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(SHARED_KEY)})][${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

const XML_STAND_IN = 'gateway:xml-on-first-need';

/**
 * `@azure/core-xml` (with fast-xml-parser under it, a tenth of main) serves the Table client's
 * XML bodies only: the access-policy operations, which the gateway never calls (neither does the
 * template: access is by role), and an error answered in XML. In main it is a stand-in whose `parseXML` imports the real module on first
 * need (a lazy bundle); `stringifyXML` would serialize an access policy, and refuses.
 */
function xmlOnFirstNeed(): Plugin {
  return {
    name: 'xml-on-first-need',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^@azure\/core-xml$/ }, (args) =>
        args.importer === XML_STAND_IN
          ? undefined
          : { path: XML_STAND_IN, namespace: 'xml-on-first-need' },
      );
      esbuild.onLoad({ filter: /.*/, namespace: 'xml-on-first-need' }, () => ({
        contents: [
          'export async function parseXML(text, options) {',
          '  return (await import("@azure/core-xml")).parseXML(text, options);',
          '}',
          'export function stringifyXML() {',
          '  throw new Error("XML request bodies are not part of the gateway: it sets no table access policy");',
          '}',
        ].join('\n'),
        resolveDir: dirname(fileURLToPath(import.meta.url)),
        loader: 'js',
      }));
    },
  };
}

/** zod's locale index with English only. */
function englishOnly(): Plugin {
  return {
    name: 'zod-english-only',
    setup(esbuild) {
      esbuild.onLoad({ filter: ZOD_LOCALES }, () => ({
        contents: "export { default as en } from './en.js';\n",
        loader: 'js',
      }));
    },
  };
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier);
}

/** `lazy-<package or file>-<hash of its path>.js`: readable, and unique per source. */
function lazyName(source: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  const label = (inPackage ?? basename(source).replace(/\.[cm]?[jt]s$/, ''))
    .replace(/^@/, '')
    .replace(/[^A-Za-z0-9]+/g, '-');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
  return `lazy-${label}-${hash}.js`;
}
