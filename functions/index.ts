/**
 * The Azure Functions entry point (package.json "main"): parse the configuration, set up
 * telemetry, then load and build the services and register every function with the Functions
 * host. Telemetry comes first, before the code it instruments is loaded. A bad configuration
 * throws here, so the host reports the app as failed instead of serving with wrong settings.
 */
import * as azureFunctions from '@azure/functions';

const { app } = azureFunctions;
type InstrumentationModule = typeof import('@azure/functions-opentelemetry-instrumentation');
import { loadConfig } from '../shared/config.js';
import { startTelemetry } from '../shared/telemetry/start-telemetry.js';

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
const { createServices } = await import('../shared/composition-root.js');
const { registerFunctions } = await import('./register-functions.js');
registerFunctions(app, createServices(config));
