import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../shared/settings.js';

/** The settings only `npm start` reads (dev/start.ts), documented with the others. */
const LOCAL_RUN_SETTINGS = ['PORT', 'SIMULATOR_PORT', 'SIMULATOR_VETTING_DELAY_SECONDS'];
const ALL_SETTINGS = [...Object.keys(settingsSchema.shape), ...LOCAL_RUN_SETTINGS];

describe('documentation of the settings', () => {
  it('the README configuration table lists every setting', async () => {
    const readme = await readFile('README.md', 'utf8');
    const table = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('## Architecture'),
    );
    const documented = new Set([...table.matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]));
    expect(ALL_SETTINGS.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('local.settings.sample.json lists every setting', async () => {
    const sample = JSON.parse(await readFile('local.settings.sample.json', 'utf8')) as {
      Values: Record<string, string>;
    };
    expect(ALL_SETTINGS.filter((name) => !(name in sample.Values))).toEqual([]);
  });
});
