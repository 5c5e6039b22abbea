export type AppSettings = Readonly<Record<string, string | undefined>>;

/**
 * Resolves `%NAME%` references the way the Functions host does in binding properties such as a
 * timer's schedule. A missing setting is a start-up error: the host refuses to index the function.
 */
export function resolveAppSettingReferences(
  value: string,
  settings: AppSettings,
  describeUse: string,
): string {
  return value.replace(/%([^%]+)%/g, (_reference, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) {
      throw new Error(`${describeUse} refers to app setting '${name}', which is not set.`);
    }
    return resolved;
  });
}
