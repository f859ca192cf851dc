import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got, as it arrived. */
export interface ReceivedWebhook {
  /** 0, 1, 2… in arrival order. */
  index: number;
  /** Epoch ms when the body had arrived. */
  at: number;
  method: string;
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw body: signatures are over these exact bytes. */
  body: string;
}

/**
 * How the receiver answers a request. It may answer late or never (the receiver's close()
 * ends such requests); a responder that throws closes the connection without an answer.
 */
export type WebhookResponder = (
  request: ReceivedWebhook,
  response: ServerResponse,
) => void | Promise<void>;

/** Answers every request at once with `status`. */
export const answer =
  (status: number, headers: Record<string, string> = {}) =>
  (_request: ReceivedWebhook, response: ServerResponse): void => {
    response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(String(status));
  };

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks`. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly ReceivedWebhook[];
  /** TCP connections accepted, whether or not a request followed. */
  readonly connections: number;
  /** Changes how the following requests are answered. */
  respondWith(responder: WebhookResponder): void;
  /** Resolves once `count` requests (all of them, or those matching) have arrived. */
  waitForRequests(
    count: number,
    options?: { timeoutMs?: number; where?: (request: ReceivedWebhook) => boolean },
  ): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * A real webhook receiver: a node:http server on 127.0.0.1, on a port of the system's choosing,
 * that records every request and answers as its responder says (200 by default).
 */
export async function startWebhookReceiver(
  responder: WebhookResponder = answer(200),
  path = '/hooks',
): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  let respond = responder;
  let connections = 0;

  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: ReceivedWebhook = {
        index: requests.length,
        at: Date.now(),
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: flatHeaders(incoming.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      for (const wake of waiters) wake();
      Promise.resolve()
        .then(() => respond(request, response))
        .catch(() => response.destroy());
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    respondWith(next) {
      respond = next;
    },
    waitForRequests(count, { timeoutMs = 15_000, where = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const matching = requests.filter(where);
          if (matching.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(matching);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${requests.filter(where).length} of ${count} webhook requests arrived at ` +
                `port ${port} within ${timeoutMs} ms (${requests.length} in all)`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const flatHeaders = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
