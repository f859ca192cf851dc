// The chaos load: an open-loop stream of payment and customer creates, each with its own
// Idempotency-Key. A request that fails the way a client should retry (5xx, 409 in use, 429, a
// connection error or a time-out) is sent again with the same key and body, as a well-behaved
// client would, until it has a final answer. Every attempt is recorded with its times.
import { randomUUID } from 'node:crypto';
import { sleep } from '../dev/common.mjs';

const CLIENT_TIMEOUT_MS = 15_000; // beyond the gateway's 10 s deadline
const DECLINED_CARD = '4000000000000002';

/** Answers that end a request: it created something (or was refused for its own sake). */
const isFinal = (status) => status < 500 && status !== 409 && status !== 429;

export class Load {
  requests = [];
  inFlight = new Set();
  running = false;
  /** Retries stop after this time (set when the load is settling). */
  retryUntil = Infinity;

  /** @typedef {{ url: string, downUntil: number }} Gateway */

  /** @param {{ gateways: string[], apiKey: string, rate: number, paymentShare?: number }} options */
  constructor({ gateways, apiKey, rate, paymentShare = 0.8 }) {
    this.gateways = gateways.map((url) => ({ url, downUntil: 0 }));
    this.apiKey = apiKey;
    this.rate = rate;
    this.paymentShare = paymentShare;
    this.turn = 0;
    this.startedAt = 0;
  }

  start() {
    this.running = true;
    this.startedAt = Date.now();
    void this.schedule();
  }

  async schedule() {
    const interval = 1000 / this.rate;
    let next = performance.now();
    while (this.running) {
      const request = this.newRequest();
      this.requests.push(request);
      const done = this.perform(request).finally(() => this.inFlight.delete(done));
      this.inFlight.add(done);
      next += interval;
      await sleep(Math.max(0, next - performance.now()));
    }
  }

  /** Stops new requests, lets retries go on for `drainMs`, resolves when every request is done. */
  async settle(drainMs) {
    this.running = false;
    this.retryUntil = Date.now() + drainMs;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  newRequest() {
    const n = this.requests.length;
    // Underscores, not dashes: a UUID's digit groups joined by dashes can read as a card number,
    // which the gateway refuses in any header.
    const key = `chaos_${randomUUID().replaceAll('-', '_')}`;
    if (Math.random() < this.paymentShare) {
      const declined = n % 10 === 9;
      return {
        kind: 'payment',
        key,
        path: '/v2/payments',
        body: {
          amount: { value: 100 + ((n * 37) % 9900), currency: 'USD' },
          payment_method: {
            type: 'card',
            card: {
              number: declined ? DECLINED_CARD : '4242424242424242',
              exp_month: 12,
              exp_year: 2035,
              cvc: '123',
            },
          },
          metadata: { order_id: `order-${n}` },
        },
        attempts: [],
        final: undefined,
      };
    }
    return {
      kind: 'customer',
      key,
      path: '/v2/customers',
      body: { email: `chaos-${n}-${key.slice(-8)}@example.com`, name: `Chaos ${n}` },
      attempts: [],
      final: undefined,
    };
  }

  pickGateway() {
    const now = Date.now();
    for (let i = 0; i < this.gateways.length; i++) {
      const gateway = /** @type {Gateway} */ (
        this.gateways[(this.turn + i) % this.gateways.length]
      );
      if (gateway.downUntil <= now) {
        this.turn = (this.turn + i + 1) % this.gateways.length;
        return gateway;
      }
    }
    this.turn = (this.turn + 1) % this.gateways.length;
    return /** @type {Gateway} */ (this.gateways[this.turn]);
  }

  async perform(request) {
    for (let retry = 0; ; retry++) {
      const attempt = await this.send(request);
      request.attempts.push(attempt);
      if (attempt.status !== undefined && isFinal(attempt.status)) {
        request.final = attempt;
        return;
      }
      if (Date.now() > this.retryUntil) return;
      // A refused connection goes straight to another replica, as a load balancer would.
      if (attempt.error === 'ECONNREFUSED' && this.gateways.length > 1 && retry < 3) continue;
      await sleep(Math.min(2000, 200 * 2 ** Math.min(retry, 4)) * (0.8 + Math.random() * 0.4));
    }
  }

  async send(request) {
    const gateway = this.pickGateway();
    const start = Date.now();
    try {
      const response = await fetch(`${gateway.url}${request.path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': request.key,
        },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const id = response.status === 402 ? body?.error?.payment?.id : body?.id;
      return {
        start,
        end: Date.now(),
        gateway: gateway.url,
        status: response.status,
        id,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        code: body?.error?.code,
        param: body?.error?.param,
      };
    } catch (error) {
      const code =
        error?.name === 'TimeoutError' ? 'timeout' : (error?.cause?.code ?? error?.name ?? 'error');
      if (code === 'ECONNREFUSED') gateway.downUntil = Date.now() + 2000;
      return { start, end: Date.now(), gateway: gateway.url, status: undefined, error: code };
    }
  }
}
