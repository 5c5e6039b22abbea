import type {
  HttpFunctionOptions,
  HttpMethod,
  HttpTriggerOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { CollectingRegistrar } from './collecting-registrar.js';

/** What `@azure/functions` hands the worker for each registration (`toCoreFunctionMetadata`). */
interface CoreFunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, CoreBinding>>;
}

interface CoreBinding {
  readonly type: string;
  readonly direction: 'in' | 'out';
  readonly route?: string;
  readonly methods?: HttpMethod[];
  readonly authLevel?: HttpTriggerOptions['authLevel'];
  readonly schedule?: string;
  readonly runOnStartup?: boolean;
  readonly useMonitor?: boolean;
}

/** The module the Functions worker answers `require('@azure/functions-core')` with, in part. */
interface CoreApi {
  setProgrammingModel(model: unknown): void;
  registerFunction(metadata: CoreFunctionMetadata, handler: unknown): { dispose(): void };
  registerHook(name: string, callback: unknown): { dispose(): void };
  log(level: string, category: string, message: string): void;
}

const CORE_MODULE = '@azure/functions-core';
type RequireFunction = (this: unknown, id: string) => unknown;

/**
 * Imports a deployment package's `main` (see dev/package-app.ts) as the Functions worker does:
 * `@azure/functions`, bundled into main, finds the worker's `@azure/functions-core` and registers
 * every function with it; those registrations are collected here, for `startLocalHost`. So the
 * local host serves the bundle itself, through the same registrations, with no route list of its
 * own. `main` reads its settings from process.env, as in Azure; a process imports one main once.
 */
export async function importPackageRegistrations(mainPath: string): Promise<CollectingRegistrar> {
  const registrar = new CollectingRegistrar();
  const noop = { dispose: () => undefined };
  const coreApi: CoreApi = {
    setProgrammingModel: () => undefined,
    registerFunction: (metadata, handler) => {
      collect(registrar, metadata, handler);
      return noop;
    },
    registerHook: () => noop,
    log: () => undefined,
  };
  // The worker answers the module's name itself in the same way: it is no package on disk.
  const prototype = Module.prototype as unknown as { require: RequireFunction };
  const original = prototype.require;
  prototype.require = function (this: unknown, id: string): unknown {
    return id === CORE_MODULE ? coreApi : original.call(this, id);
  };
  try {
    await import(pathToFileURL(mainPath).href);
  } finally {
    prototype.require = original;
  }
  return registrar;
}

function collect(registrar: CollectingRegistrar, metadata: CoreFunctionMetadata, handler: unknown) {
  const trigger = Object.values(metadata.bindings).find((binding) => binding.direction === 'in');
  if (trigger?.type === 'httpTrigger') {
    const options: HttpFunctionOptions = {
      handler: handler as HttpFunctionOptions['handler'],
      ...(trigger.route !== undefined && { route: trigger.route }),
      ...(trigger.methods !== undefined && { methods: trigger.methods }),
      ...(trigger.authLevel !== undefined && { authLevel: trigger.authLevel }),
    };
    registrar.http(metadata.name, options);
  } else if (trigger?.type === 'timerTrigger' && trigger.schedule !== undefined) {
    const options: TimerFunctionOptions = {
      handler: handler as TimerFunctionOptions['handler'],
      schedule: trigger.schedule,
      ...(trigger.runOnStartup !== undefined && { runOnStartup: trigger.runOnStartup }),
      ...(trigger.useMonitor !== undefined && { useMonitor: trigger.useMonitor }),
    };
    registrar.timer(metadata.name, options);
  } else {
    throw new Error(
      `Function '${metadata.name}' has a ${trigger?.type ?? 'missing'} trigger, which the local host does not serve.`,
    );
  }
}
