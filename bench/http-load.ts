import { Agent, request } from 'node:http';

/** Keep-alive connections, as a client that calls the gateway often would hold. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface TimedAnswer {
  readonly status: number;
  readonly json: unknown;
  readonly ms: number;
}

/** One GET over a kept-alive connection: status, parsed JSON body (if any) and elapsed time. */
export function timedGet(url: string, headers: Record<string, string> = {}): Promise<TimedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, ms });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `workers` loops each running `work` back to back for `ms`; how many completed. */
export async function closedLoop(
  workers: number,
  ms: number,
  work: () => Promise<void>,
): Promise<{ completed: number }> {
  const until = performance.now() + ms;
  let completed = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        await work();
        completed++;
      }
    }),
  );
  return { completed };
}
