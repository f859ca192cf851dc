import http from 'node:http';

/** One request exactly as it goes on the wire: headers may repeat, the body is any bytes. */
export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded as it should be sent. */
  path: string;
  /** Name/value pairs in order; a name may repeat. */
  headers: [string, string][];
  body?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  body: unknown;
  ms: number;
}

/** No answer within this is a hang. */
export const HANG_MS = 15_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * Sends `request` to `baseUrl` with node:http, which (unlike fetch) sends repeated headers, odd
 * methods and paths as given. A server that closes the connection without an answer, or does not
 * answer within HANG_MS, rejects.
 */
export function sendRaw(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const startedAt = Date.now();
  // Given as an array, headers go as they are: node adds no Host of its own.
  const headers = ['host', url.host, ...request.headers.flat()];
  if (request.body !== undefined) {
    headers.push('content-length', String(Buffer.byteLength(request.body)));
  }
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers,
        timeout: HANG_MS,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: incoming.statusCode ?? 0,
            headers: joinedHeaders(incoming.headers),
            text,
            body: parseJson(text),
            ms: Date.now() - startedAt,
          });
        });
      },
    );
    outgoing.on('timeout', () => {
      outgoing.destroy(new Error(`no answer within ${HANG_MS} ms`));
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function joinedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Percent-encodes every byte of the UTF-8 form but the unreserved ones (a lone surrogate as EF BF BD). */
export function encodeSegment(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
