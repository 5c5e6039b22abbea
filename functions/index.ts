/**
 * The Azure Functions entry point (package.json "main"): parse the configuration, build the
 * services once, register every function with the Functions host. A bad configuration throws
 * here, so the host reports the app as failed instead of serving with wrong settings.
 */
import { app } from '@azure/functions';
import { createServices } from '../shared/composition-root.js';
import { loadConfig } from '../shared/config.js';
import { registerFunctions } from './register-functions.js';

app.setup({ enableHttpStream: false });
registerFunctions(app, createServices(loadConfig(process.env)));
