/**
 * `npm run test:dotnet`: the .NET client's tests against a running gateway. Starts Azurite (in
 * memory), the Partner Center simulator and the local Functions host — the parts `npm start`
 * runs — on free ports, runs `dotnet test` with GATEWAY_BASE_URL and SIMULATOR_URL set, stops
 * everything and exits with dotnet's exit code. Arguments go to `dotnet test`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite } from '../../dev/azurite.js';
import { startLocalGateway } from '../../dev/local-gateway.js';
import { startSimulator } from '../../dev/partner-center-simulator/index.js';

const tests = join(
  fileURLToPath(new URL('.', import.meta.url)),
  'PartnerQualifications.Gateway.Client.Tests',
);

const azurite = await startAzurite();
const simulator = await startSimulator({ port: 0 });
const gateway = await startLocalGateway({
  settings: {
    PARTNER_CENTER_BASE_URL: simulator.url,
    PARTNER_CENTER_CREDENTIAL: 'simulator',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
  },
  port: 0,
  // The tests decide when vetting ends; no timer run changes a status under them.
  runTimers: false,
  log: () => undefined,
});

let exitCode = 1;
try {
  const baseUrl = `${gateway.url}/api/v1`;
  console.log(`Gateway ${baseUrl}, simulator ${simulator.url}`);
  const dotnet = spawn('dotnet', ['test', tests, '--nologo', ...process.argv.slice(2)], {
    env: { ...process.env, GATEWAY_BASE_URL: baseUrl, SIMULATOR_URL: simulator.url },
    stdio: 'inherit',
  });
  const [code] = (await once(dotnet, 'exit')) as [number | null];
  exitCode = code ?? 1;
} finally {
  await gateway.close();
  await gateway.telemetry.shutdown();
  await simulator.close();
  await azurite.close();
}
process.exit(exitCode);
