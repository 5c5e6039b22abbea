/** A setting, or a combination of settings, the gateway cannot start with. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
