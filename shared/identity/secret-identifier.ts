/**
 * Problems with a secret identifier for the store: it must name the secret, not a version of
 * it, since the store always reads the newest. An empty list means it can be used.
 */
export function secretIdentifierProblems(secretUri: string): string[] {
  let url: URL;
  try {
    url = new URL(secretUri);
  } catch {
    return ['must be an absolute URL'];
  }
  if (url.protocol !== 'https:') return ['must be https'];
  if (url.search !== '' || url.hash !== '') return ['must have no query or fragment'];
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 2 || segments[0] !== 'secrets') {
    return [
      'must be a secret identifier without a version, e.g. https://my-vault.vault.azure.net/secrets/partner-center-refresh-token',
    ];
  }
  return [];
}
