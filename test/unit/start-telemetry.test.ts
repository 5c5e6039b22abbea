import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Which of the exporting packages a fresh process has loaded after setting telemetry up. */
async function loadedAfterStart(
  destination: 'none' | 'otlp' | 'azure-monitor',
): Promise<Record<string, boolean>> {
  const script = `
    import { createRequire } from 'node:module';
    const { startTelemetry } = await import('./shared/telemetry/start-telemetry.ts');
    await startTelemetry({
      serviceName: 'test',
      metricExportIntervalMs: 60000,
      ...(${JSON.stringify(destination)} === 'otlp' && {
        otlp: { endpoint: 'http://127.0.0.1:9/', protocol: 'http/json' },
      }),
      ...(${JSON.stringify(destination)} === 'azure-monitor' && {
        azureMonitor: {
          connectionString:
            'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=http://127.0.0.1:9/',
        },
      }),
    });
    const cache = Object.keys(createRequire(import.meta.url).cache);
    const names = ['exporter-trace-otlp-http', 'sdk-metrics', 'sdk-logs', 'monitor-opentelemetry-exporter', 'opentelemetry-instrumentation-azure-sdk'];
    console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, cache.some((p) => p.includes(n))]))));
    process.exit(0);
  `;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: process.cwd(), env: { ...process.env, APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true' } },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, boolean>;
}

describe('telemetry set-up loads exporting code only when it exports', () => {
  it('loads no exporter, metrics or logs SDK, nor instrumentation without a destination', async () => {
    expect(await loadedAfterStart('none')).toEqual({
      'exporter-trace-otlp-http': false,
      'sdk-metrics': false,
      'sdk-logs': false,
      'monitor-opentelemetry-exporter': false,
      'opentelemetry-instrumentation-azure-sdk': false,
    });
  });

  it('loads the OTLP exporters, metrics and logs SDKs and the Azure SDK instrumentation with an OTLP endpoint', async () => {
    expect(await loadedAfterStart('otlp')).toEqual({
      'exporter-trace-otlp-http': true,
      'sdk-metrics': true,
      'sdk-logs': true,
      'monitor-opentelemetry-exporter': false,
      'opentelemetry-instrumentation-azure-sdk': true,
    });
  });

  it('loads the Azure Monitor exporters (with the managed identity credential) with a connection string', async () => {
    expect(await loadedAfterStart('azure-monitor')).toEqual({
      'exporter-trace-otlp-http': false,
      'sdk-metrics': true,
      'sdk-logs': true,
      'monitor-opentelemetry-exporter': true,
      'opentelemetry-instrumentation-azure-sdk': true,
    });
  });

  it('the Azure entry point (functions/index.ts) sets up telemetry, the Azure Functions instrumentation and the registrations', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "await import('./functions/index.ts'); console.log('entry loaded'); process.exit(0);",
      ],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:9',
          PARTNER_CENTER_CREDENTIAL: 'simulator',
          STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        },
      },
    );
    expect(stderr).not.toMatch(/Error/);
    expect(stdout).toContain('entry loaded');
    // Outside the Functions host the library only reports each registration it skips.
    expect(stdout + stderr).toContain('refresh-pending-vetting');
  });
});
