import { readFile } from 'node:fs/promises';
import * as z from 'zod';

export interface HostSettings {
  /** Without slashes at either end; empty when host.json sets `"routePrefix": ""`. */
  readonly routePrefix: string;
}

// The Functions host's default when host.json does not set extensions.http.routePrefix.
const defaultRoutePrefix = 'api';

const hostJsonSchema = z.object({
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).optional(),
    })
    .optional(),
});

export async function readHostJson(path: string): Promise<HostSettings> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON.`, { cause: error });
  }
  const parsed = hostJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${path} is not a valid host.json: ${z.prettifyError(parsed.error)}`);
  }
  const routePrefix = parsed.data.extensions?.http?.routePrefix ?? defaultRoutePrefix;
  return { routePrefix: routePrefix.replace(/^\/+|\/+$/g, '') };
}
