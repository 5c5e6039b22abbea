/**
 * `npm run bench [-- <benchmark> [flags]]`: every benchmark of the gateway, one after another in
 * processes of their own, or the one named: `read` (P1, P2c, P2b), `refresh` (P3), `cold-start`
 * (P4). Flags after the name go to that benchmark. Exit 0 when every correctness check held.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = {
  read: 'read-path-main.ts',
  refresh: 'refresh.ts',
  'cold-start': 'cold-start-main.ts',
} as const;
type Name = keyof typeof BENCHMARKS;

function isName(value: string | undefined): value is Name {
  return value !== undefined && Object.hasOwn(BENCHMARKS, value);
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--help' || first === '-h') {
  console.log(
    `Usage: npm run bench [-- ${Object.keys(BENCHMARKS).join('|')} [flags]]  (none: all, default flags)`,
  );
  process.exit(0);
}
if (first !== undefined && !isName(first)) {
  console.error(`Unknown benchmark '${first}'; one of ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const runs: [Name, string[]][] = isName(first)
  ? [[first, rest]]
  : (Object.keys(BENCHMARKS) as Name[]).map((name) => [name, []]);
const failed: string[] = [];
for (const [name, args] of runs) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, BENCHMARKS[name]), ...args],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed.push(`${name} (exit ${String(result.status)})`);
}
if (runs.length > 1)
  console.log(
    `\n${failed.length === 0 ? 'All benchmarks passed their checks.' : `Failed: ${failed.join(', ')}`}`,
  );
process.exit(failed.length === 0 ? 0 : 1);
