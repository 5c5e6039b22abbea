import { Worker } from 'node:worker_threads';
import { startAzurite } from '../dev/azurite.js';
import { startSimulator } from '../dev/partner-center-simulator/index.js';

/** Where Azurite and the simulator run: a worker thread of this process, or its main thread. */
export type EmulatorPlacement = 'thread' | 'main';

export interface Emulators {
  readonly connectionString: string;
  readonly simulatorUrl: string;
  close(): Promise<void>;
}

/** Messages of emulators-worker.ts. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly connectionString: string; readonly simulatorUrl: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'closed' };

export const HOST = '127.0.0.1';

/**
 * Azurite (in memory, ephemeral ports) and the Partner Center simulator (no rate limit, no
 * vetting clock until the benchmark sets them). In a worker thread by default: they get the
 * machine's second core, as real storage and Partner Center would not share the gateway's
 * event loop, so the benchmark measures the gateway rather than the emulators.
 */
export async function startEmulators(placement: EmulatorPlacement): Promise<Emulators> {
  return placement === 'main' ? startInThisThread() : startInWorker();
}

export async function startInThisThread(): Promise<Emulators> {
  const azurite = await startAzurite({ host: HOST });
  try {
    const simulator = await startSimulator({ host: HOST, port: 0 });
    return {
      connectionString: azurite.connectionString,
      simulatorUrl: simulator.url,
      close: async () => {
        await simulator.close();
        await azurite.close();
      },
    };
  } catch (error) {
    await azurite.close();
    throw error;
  }
}

async function startInWorker(): Promise<Emulators> {
  const worker = new Worker(
    typeScriptBootstrap(new URL('./emulators-worker.ts', import.meta.url)),
    {
      eval: true,
    },
  );
  const ready = await nextMessage(worker);
  if (ready.kind !== 'ready') {
    await worker.terminate();
    throw new Error(`The emulators did not start: ${describe(ready)}`);
  }
  return {
    connectionString: ready.connectionString,
    simulatorUrl: ready.simulatorUrl,
    close: async () => {
      const closed = nextMessage(worker);
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

/**
 * A worker does not inherit tsx's loader hooks, so the worker registers tsx itself before it
 * imports the TypeScript entry. Both are resolved here, so the current directory does not matter.
 */
function typeScriptBootstrap(entry: URL): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
}

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (message: WorkerMessage): void => {
      worker.off('error', onError);
      resolve(message);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

function describe(message: WorkerMessage): string {
  return message.kind === 'failed' ? message.message : message.kind;
}
