import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostJson } from '../../dev/local-host/host-json.js';
import { API_BASE_PATH } from '../../shared/domain/api-paths.js';

describe('readHostJson', () => {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'host-json-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const write = async (name: string, content: string): Promise<string> => {
    const path = join(folder, name);
    await writeFile(path, content);
    return path;
  };

  it("reads the project's own host.json", async () => {
    expect(await readHostJson('host.json')).toEqual({ routePrefix: API_BASE_PATH.slice(1) });
  });

  it('defaults the route prefix to api, as the Functions host does', async () => {
    const path = await write('default.json', '{ "version": "2.0" }');
    expect(await readHostJson(path)).toEqual({ routePrefix: 'api' });
  });

  it('keeps an empty prefix and trims slashes', async () => {
    const empty = await write('empty.json', '{ "extensions": { "http": { "routePrefix": "" } } }');
    const slashed = await write(
      'slashed.json',
      '{ "extensions": { "http": { "routePrefix": "/x/" } } }',
    );
    expect(await readHostJson(empty)).toEqual({ routePrefix: '' });
    expect(await readHostJson(slashed)).toEqual({ routePrefix: 'x' });
  });

  it('fails clearly on invalid content', async () => {
    const badJson = await write('bad.json', '{');
    const badType = await write('type.json', '{ "extensions": { "http": { "routePrefix": 1 } } }');
    await expect(readHostJson(badJson)).rejects.toThrow(/not valid JSON/);
    await expect(readHostJson(badType)).rejects.toThrow(/routePrefix/);
  });
});
