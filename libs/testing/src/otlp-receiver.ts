// A small OpenTelemetry collector for tests: it takes OTLP/HTTP JSON exports (POST /v1/traces)
// and answers what it got to GET /spans?trace_id=… . The e2e global setup runs one for the whole
// run and points every service at it; test workers read it through `receivedSpans`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exported span, flattened. Kinds as OTLP numbers them: 2 server, 3 client, 4 producer, 5 consumer. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a trace's root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly url: string;
  readonly spans: readonly ReceivedSpan[];
  close(): Promise<void>;
}

/** The variable the global setup publishes the receiver's URL in, for the test workers. */
export const OTLP_RECEIVER_URL_VARIABLE = 'OTLP_RECEIVER_URL';

/** Plenty for one e2e run; the oldest spans go first beyond it. */
const MAX_SPANS = 200_000;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value?: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      if (request.method === 'POST' && url.pathname === '/v1/traces') {
        if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
          response.writeHead(415).end();
          return;
        }
        spans.push(...flatten(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport));
        if (spans.length > MAX_SPANS) spans.splice(0, spans.length - MAX_SPANS);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (request.method === 'GET' && url.pathname === '/spans') {
        const traceId = url.searchParams.get('trace_id');
        const found = traceId === null ? spans : spans.filter((s) => s.traceId === traceId);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
        return;
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The spans the e2e run's receiver holds, of one trace or all of them. */
export async function receivedSpans(traceId?: string): Promise<ReceivedSpan[]> {
  const base = process.env[OTLP_RECEIVER_URL_VARIABLE];
  if (base === undefined) {
    throw new Error(
      `${OTLP_RECEIVER_URL_VARIABLE} is not set: the e2e global setup starts the receiver`,
    );
  }
  const query = traceId === undefined ? '' : `?trace_id=${traceId}`;
  const response = await fetch(`${base}/spans${query}`);
  return (await response.json()) as ReceivedSpan[];
}

function flatten(exported: OtlpExport): ReceivedSpan[] {
  return (exported.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind ?? 0,
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

function attributesOf(attributes: OtlpAttribute[] = []): ReceivedSpan['attributes'] {
  const result: ReceivedSpan['attributes'] = {};
  for (const { key, value = {} } of attributes) {
    const v = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
    if (v !== undefined)
      result[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return result;
}
