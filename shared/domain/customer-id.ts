/** A customer's Entra ID tenant id: a GUID, kept in lower case. */
export type CustomerId = string & { readonly __brand: 'CustomerId' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Returns the normalised id, or undefined when the value is not a GUID. */
export function parseCustomerId(value: string): CustomerId | undefined {
  return isGuid(value) ? (value.toLowerCase() as CustomerId) : undefined;
}
