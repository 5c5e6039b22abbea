import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/** An OTLP/JSON attribute: `{ key, value: { stringValue | intValue | doubleValue | boolValue } }`. */
export interface OtlpAttribute {
  readonly key: string;
  readonly value: Readonly<Record<string, unknown>>;
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly attributes?: readonly OtlpAttribute[];
  /** The service.name of the resource that sent it. */
  readonly serviceName: string;
}

export interface OtlpMetric {
  readonly name: string;
  readonly unit?: string;
  readonly histogram?: { dataPoints: OtlpDataPoint[] };
  readonly sum?: { dataPoints: OtlpDataPoint[] };
  readonly gauge?: { dataPoints: OtlpDataPoint[] };
}

/** A data point of any metric type: counts and values come as numbers or strings (int64). */
export interface OtlpDataPoint {
  readonly attributes?: OtlpAttribute[];
  readonly count?: number | string;
  readonly asInt?: number | string;
  readonly asDouble?: number;
}

/** A sum's or gauge's value, or a histogram's count. */
export function pointValue(point: OtlpDataPoint): number {
  return Number(point.asInt ?? point.asDouble ?? point.count ?? NaN);
}

interface Resource {
  readonly attributes?: readonly OtlpAttribute[];
}

/**
 * An OTLP/HTTP receiver for http/json: keeps what it is sent on /v1/traces, /v1/metrics and
 * /v1/logs, as a collector would receive it.
 */
export class OtlpReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly bodies: readonly { path: string; text: string }[],
  ) {}

  static async start(): Promise<OtlpReceiver> {
    const bodies: { path: string; text: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push({ path: request.url ?? '', text: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    return new OtlpReceiver(server, `http://127.0.0.1:${String(address.port)}`, bodies);
  }

  private parsed(path: string): Record<string, unknown>[] {
    return this.bodies
      .filter((b) => b.path === path)
      .map((b) => JSON.parse(b.text) as Record<string, unknown>);
  }

  spans(): OtlpSpan[] {
    type Body = {
      resourceSpans?: { resource?: Resource; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
    };
    return (this.parsed('/v1/traces') as Body[]).flatMap((body) =>
      (body.resourceSpans ?? []).flatMap((rs) =>
        (rs.scopeSpans ?? []).flatMap((ss) =>
          (ss.spans ?? []).map((span) => ({
            ...span,
            serviceName: stringAttribute(rs.resource?.attributes, 'service.name'),
          })),
        ),
      ),
    );
  }

  metrics(): OtlpMetric[] {
    type Body = { resourceMetrics?: { scopeMetrics?: { metrics?: OtlpMetric[] }[] }[] };
    return (this.parsed('/v1/metrics') as Body[]).flatMap((body) =>
      (body.resourceMetrics ?? []).flatMap((rm) =>
        (rm.scopeMetrics ?? []).flatMap((sm) => sm.metrics ?? []),
      ),
    );
  }

  resourceAttributes(): Record<string, unknown> {
    type Body = { resourceSpans?: { resource?: Resource }[] };
    const resource = (this.parsed('/v1/traces') as Body[])[0]?.resourceSpans?.[0]?.resource;
    return Object.fromEntries(
      (resource?.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
    );
  }

  /** Everything received, as text: for checks that no secret was exported. */
  allText(): string {
    return this.bodies.map((b) => b.text).join('\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** The value of an OTLP attribute, whatever its type. */
export function attribute(attributes: readonly OtlpAttribute[] | undefined, key: string): unknown {
  const found = attributes?.find((a) => a.key === key);
  return found === undefined ? undefined : Object.values(found.value)[0];
}

function stringAttribute(attributes: readonly OtlpAttribute[] | undefined, key: string): string {
  const value = attribute(attributes, key);
  return typeof value === 'string' ? value : '';
}
