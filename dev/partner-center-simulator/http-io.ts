import type { IncomingMessage, ServerResponse } from 'node:http';

/** Resolves undefined when the body exceeds `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Writes unless the client already went away or a fault already answered. */
export function writeResponse(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  payload: string | undefined,
): void {
  if (res.destroyed || res.headersSent) return;
  // RFC 9110 forbids Content-Length on a 204.
  const length = payload === undefined ? 0 : Buffer.byteLength(payload);
  res.writeHead(
    status,
    status === 204 ? headers : { ...headers, 'Content-Length': String(length) },
  );
  res.end(payload);
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  writeResponse(
    res,
    status,
    payload === undefined
      ? headers
      : { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    payload,
  );
}
