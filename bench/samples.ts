/** Small statistics for benchmarks that compare two things measured side by side. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Runs `a` and `b` `samples` times each, interleaved (a b, b a, a b …) so that whatever else the
 * machine does in the meantime weighs on both alike; returns each one's measurements.
 */
export async function interleaved(
  samples: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const result = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      result.a.push(await a());
      result.b.push(await b());
    } else {
      result.b.push(await b());
      result.a.push(await a());
    }
  }
  return result;
}

export function ratioLine(name: string, ratio: number, target: string, ok: boolean): string {
  return `${name.padEnd(6)} ${ratio.toFixed(2).padStart(6)}   target ${target.padEnd(8)} ${ok ? 'met' : 'NOT met'}`;
}
