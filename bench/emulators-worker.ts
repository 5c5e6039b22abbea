/** Runs Azurite and the simulator in a worker thread for emulators.ts; `close` stops them. */
import { parentPort } from 'node:worker_threads';
import { startInThisThread, type WorkerMessage } from './emulators.js';

const port = parentPort;
if (port === null) throw new Error('emulators-worker.ts runs only as a worker thread');
const post = (message: WorkerMessage): void => {
  port.postMessage(message);
};

try {
  const emulators = await startInThisThread();
  port.once('message', () => {
    void emulators.close().then(() => {
      post({ kind: 'closed' });
    });
  });
  post({
    kind: 'ready',
    connectionString: emulators.connectionString,
    simulatorUrl: emulators.simulatorUrl,
  });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
