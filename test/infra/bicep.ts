import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = resolve(import.meta.dirname, '../..');
export const MAIN_BICEP = join(REPO, 'infra/main.bicep');
/** The project's Bicep CLI: restores itself from NuGet on first use. */
const BICEP = join(REPO, 'infra/tools/bicep');

/** Where `bicep snapshot` pretends to deploy. */
export const DEPLOYMENT = {
  subscriptionId: '00000000-0000-4000-8000-00000000a0a0',
  tenantId: '00000000-0000-4000-8000-00000000b0b0',
  location: 'westeurope',
} as const;

/** The parameters of a sample environment, as azd would pass them. */
export const SAMPLE_ENVIRONMENT = {
  environmentName: 'prod',
  location: DEPLOYMENT.location,
  partnerCenterTenantId: '7e57e2a0-0000-4000-8000-000000000010',
  partnerCenterClientId: '7e57e2a0-0000-4000-8000-000000000011',
  authAudience: 'api://partner-qualifications-gateway,7e57e2a0-0000-4000-8000-000000000012',
} as const;

export interface PredictedResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly apiVersion: string;
  readonly location?: string;
  readonly kind?: string;
  readonly sku?: Record<string, unknown>;
  readonly tags?: Record<string, string>;
  readonly identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  readonly properties?: Record<string, unknown>;
}

export interface Snapshot {
  readonly predictedResources: PredictedResource[];
  readonly diagnostics: unknown[];
}

export async function bicep(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(BICEP, args, { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
}

/** `bicep build --stdout`: the ARM template azd deploys. */
export async function buildTemplate(): Promise<{ template: string; warnings: string }> {
  const { stdout, stderr } = await bicep('build', MAIN_BICEP, '--stdout');
  return { template: stdout, warnings: stderr };
}

type ParameterValue = string | number | boolean;

/**
 * `bicep snapshot`: the resources a deployment with these parameters would create, with every
 * expression the template engine can evaluate before deployment evaluated.
 */
export async function snapshot(parameters: Record<string, ParameterValue>): Promise<Snapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-snapshot-'));
  try {
    const file = join(dir, 'environment.bicepparam');
    const lines = [
      `using '${relative(dir, MAIN_BICEP).split('\\').join('/')}'`,
      ...Object.entries(parameters).map(
        ([name, value]) =>
          `param ${name} = ${typeof value === 'string' ? `'${value.replace(/'/g, "\\'")}'` : String(value)}`,
      ),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    await bicep(
      'snapshot',
      file,
      '--subscription-id',
      DEPLOYMENT.subscriptionId,
      '--tenant-id',
      DEPLOYMENT.tenantId,
      '--location',
      DEPLOYMENT.location,
    );
    return JSON.parse(await readFile(join(dir, 'environment.snapshot.json'), 'utf8')) as Snapshot;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
