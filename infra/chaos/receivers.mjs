// Webhook receivers on 127.0.0.1, as a merchant would run them: each verifies every delivery with
// the `standardwebhooks` library on the raw body and records the event ids it accepted per
// endpoint. A receiver can be taken down (connections refused) or made slow.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { sleep } from '../dev/common.mjs';

export class Receiver {
  /** path token -> { verifier, received: Set<event id> } */
  endpoints = new Map();
  sockets = new Set();
  delayMs = 0;
  up = false;
  rejected = 0;

  /** @param {{ name: string, port: number }} options */
  constructor({ name, port }) {
    this.name = name;
    this.port = port;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** A new URL path for one endpoint; its secret is attached once the endpoint exists. */
  newPath() {
    const token = randomUUID();
    this.endpoints.set(token, { verifier: undefined, received: new Set() });
    return { url: `http://127.0.0.1:${this.port}/hooks/${token}`, token };
  }

  attachSecret(token, secret) {
    this.endpoints.get(token).verifier = new Webhook(secret);
  }

  received(token) {
    return this.endpoints.get(token)?.received ?? new Set();
  }

  async handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const token = /^\/hooks\/([0-9a-f-]+)$/.exec(req.url ?? '')?.[1];
    const endpoint = token && this.endpoints.get(token);
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (!endpoint?.verifier) {
      this.rejected += 1;
      res.writeHead(404).end();
      return;
    }
    let event;
    try {
      event = endpoint.verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers);
    } catch {
      this.rejected += 1;
      res.writeHead(400).end();
      return;
    }
    if (event.id !== req.headers['webhook-id']) {
      this.rejected += 1;
      res.writeHead(400).end();
      return;
    }
    endpoint.received.add(event.id);
    res.writeHead(204).end();
  }

  start() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.up = true;
        resolve(undefined);
      });
    });
  }

  /** Down: the port refuses connections and open ones are cut. */
  async stop() {
    if (!this.up) return;
    this.up = false;
    const closed = new Promise((resolve) =>
      this.server.close(() => {
        resolve(undefined);
      }),
    );
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
