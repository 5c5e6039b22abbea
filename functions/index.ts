/**
 * The Azure Functions entry point (package.json "main"): parse the configuration, set up
 * telemetry, then build the services and register every function with the Functions host. A bad
 * configuration throws here, so the host reports the app as failed instead of serving with wrong
 * settings. Imported statically: the deployment package bundles this file and what it loads at
 * start into one (what is loaded only on first need stays behind a dynamic import).
 */
import * as azureFunctions from '@azure/functions';
import { createServices } from '../shared/composition-root.js';
import { loadConfig } from '../shared/config.js';
import { startTelemetry } from '../shared/telemetry/start-telemetry.js';
import { registerFunctions } from './register-functions.js';

const { app } = azureFunctions;
type InstrumentationModule = typeof import('@azure/functions-opentelemetry-instrumentation');

app.setup({ enableHttpStream: false });
const config = loadConfig(process.env);
const telemetry = await startTelemetry(config.telemetry);
if (telemetry.destinations.length > 0) {
  // The host's trace context onto each invocation, and the worker's log lines sent by the worker
  // itself (the host then does not send them a second time).
  // A CommonJS bundle: Node cannot list its exports, which come as the default export; tsx
  // lists them.
  const loaded: Partial<InstrumentationModule> & { default?: InstrumentationModule } =
    await import('@azure/functions-opentelemetry-instrumentation');
  const { AzureFunctionsInstrumentationESM } = loaded.default ?? (loaded as InstrumentationModule);
  new AzureFunctionsInstrumentationESM().registerAzFunc(azureFunctions);
}
registerFunctions(app, createServices(config));
