/** The public cloud's Entra ID; a sovereign cloud sets its own authority host. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Hosts where plain http is acceptable: a local stand-in, never a network peer. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
