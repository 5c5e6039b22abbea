import { parseSimulatorEnv } from './cli-config.js';
import { SEEDED_CUSTOMERS, simulatorToken, startSimulator } from './index.js';

const parsed = parseSimulatorEnv(process.env);
if (!parsed.ok) {
  console.error('Partner Center simulator: invalid settings');
  for (const error of parsed.errors) console.error(`  ${error}`);
  process.exit(1);
}
const { config } = parsed;

const simulator = await startSimulator(config).catch((error: unknown) => {
  console.error(
    `Partner Center simulator could not start on ${config.host}:${config.port}: ` +
      (error instanceof Error ? error.message : String(error)),
  );
  process.exit(1);
});

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the Partner Center simulator`);
  void simulator.close().then(() => process.exit(0));
};
// `on`, not `once`: tsx's preflight re-raises a signal that has no listener left, which would
// kill the process before close() finished.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const width = Math.max(...Object.keys(SEEDED_CUSTOMERS).map((name) => name.length));
const lines = [
  `Partner Center simulator listening on ${simulator.url}`,
  `  vetting decides itself after: ${
    config.vettingDelaySeconds === 0 ? 'never' : `${config.vettingDelaySeconds} s`
  }`,
  `  rate limit: ${
    config.rateLimitPerSecond === undefined ? 'none' : `${config.rateLimitPerSecond}/s`
  }`,
  '',
  'Seeded customers:',
  ...Object.entries(SEEDED_CUSTOMERS).map(([name, id]) => `  ${name.padEnd(width)}  ${id}`),
  '',
  'Try:',
  `  curl -H 'Authorization: Bearer x' ${simulator.url}/v1/customers/${SEEDED_CUSTOMERS.educationApproved}/qualifications`,
  `  curl -X POST -H 'Authorization: Bearer ${simulatorToken('app+user')}' \\`,
  `       -H 'Content-Type: application/json' -d '{"qualification":"StateOwnedEntity"}' \\`,
  `       ${simulator.url}/v1/customers/${SEEDED_CUSTOMERS.noQualifications}/qualifications`,
  `  curl ${simulator.url}/_simulator/requests`,
];
console.log(lines.join('\n'));
