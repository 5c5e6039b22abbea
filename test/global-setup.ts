import type { TestProject } from 'vitest/node';
import { startAzurite } from '../dev/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the in-memory Azurite (Table + Queue) shared by the whole run. */
    azuriteConnectionString: string;
  }
}

/** One Azurite for the whole test run; each suite isolates itself by table and queue names. */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({});
  provide('azuriteConnectionString', azurite.connectionString);
  return () => azurite.close();
}
