import type { TestProject } from 'vitest/node';
import { startAzurite } from '../dev/azurite.js';
import { prepareTestCertificate } from './support/test-certificate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the in-memory Azurite (Table + Queue) shared by the whole run. */
    azuriteConnectionString: string;
  }
}

/**
 * One Azurite for the whole test run (each suite isolates itself by table and queue names), and
 * the TLS certificate of the local token endpoints: made before any worker is forked, because
 * workers read NODE_EXTRA_CA_CERTS only when they start.
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const certificate = await prepareTestCertificate();
  const azurite = await startAzurite({});
  provide('azuriteConnectionString', azurite.connectionString);
  return async () => {
    await azurite.close();
    await certificate.cleanup();
  };
}
