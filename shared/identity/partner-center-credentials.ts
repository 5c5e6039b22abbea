import {
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { Config } from '../config.js';
import { SimulatorCredential } from './simulator-credential.js';

/** The app-only identity the gateway uses towards Partner Center (reads and the timer). */
export function createAppOnlyCredential(config: Config['partnerCenter']): TokenCredential {
  switch (config.credential) {
    case 'simulator':
      return new SimulatorCredential('app-only');
    case 'managed-identity':
      return config.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential({ clientId: config.clientId });
    case 'client-secret':
      return new ClientSecretCredential(
        required(config.tenantId),
        required(config.clientId),
        required(config.clientSecret),
        { authorityHost: config.authorityHost },
      );
  }
}

function required(value: string | undefined): string {
  // loadConfig has already refused a configuration without it.
  if (value === undefined) throw new Error('credential setting missing after validation');
  return value;
}
