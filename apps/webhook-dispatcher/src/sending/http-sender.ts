import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import {
  AddressNotAllowedError,
  bareHost,
  checkAddress,
  guardedLookup,
  type AddressPolicy,
  type HostResolver,
} from './ssrf-guard';
import type { SendResult } from '../deliveries/domain/retry-policy';

export interface OutgoingWebhook {
  url: string;
  body: string;
  headers: Readonly<Record<string, string>>;
}

export interface HttpSenderOptions {
  timeoutMs: number;
  allowHttp: boolean;
  policy: AddressPolicy;
  resolve: HostResolver;
  userAgent?: string;
}

// A receiver's answer body is not used; reading a little of it keeps the socket polite.
const MAX_DRAINED_BYTES = 64 * 1024;

/**
 * One HTTP POST per attempt on a fresh connection: no redirects followed (Node's client never
 * follows them), one timeout for connecting, sending and receiving the status, and the SSRF guard
 * on the address actually connected to.
 */
export class HttpSender {
  private readonly lookup: LookupFunction;

  constructor(private readonly options: HttpSenderOptions) {
    this.lookup = guardedLookup(options.policy, options.resolve);
  }

  send(webhook: OutgoingWebhook, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);

    let url: URL;
    try {
      url = new URL(webhook.url);
    } catch {
      return Promise.resolve({ kind: 'refused', error: 'the URL is not valid', durationMs: 0 });
    }
    const refusal = this.refusalOf(url);
    if (refusal !== undefined) {
      return Promise.resolve({ kind: 'refused', error: refusal, durationMs: 0 });
    }

    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request({
        protocol: url.protocol,
        hostname: bareHost(url.hostname),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(webhook.body),
          'user-agent': this.options.userAgent ?? 'FinFusion-Webhooks/1.0',
          ...webhook.headers,
        },
        agent: false,
        lookup: this.lookup,
      });

      const timer = setTimeout(() => {
        finish({
          kind: 'timeout',
          error: `no response within ${this.options.timeoutMs} ms`,
          durationMs: elapsed(),
        });
        request.destroy();
      }, this.options.timeoutMs);
      const onAbort = (): void => {
        finish({ kind: 'aborted', error: 'the dispatcher stopped', durationMs: elapsed() });
        request.destroy();
      };
      if (signal?.aborted === true) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      request.once('close', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });

      request.once('socket', (socket: Socket) => {
        // The lookup guard already vetted this address; this check keeps the promise if a
        // future path (a proxy, a literal) ever reaches connect without it.
        socket.once('connect', () => {
          const address = socket.remoteAddress;
          if (address === undefined) return;
          const verdict = checkAddress(address, this.options.policy);
          if (verdict.allowed) return;
          finish({
            kind: 'refused',
            error: new AddressNotAllowedError(url.hostname, address, verdict.range).message,
            address,
            durationMs: elapsed(),
          });
          request.destroy();
        });
      });

      request.once('response', (response) => {
        finish({
          kind: 'response',
          status: response.statusCode ?? 0,
          retryAfter: response.headers['retry-after'],
          durationMs: elapsed(),
        });
        let drained = 0;
        response.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > MAX_DRAINED_BYTES) request.destroy();
        });
        response.once('error', () => undefined);
      });

      request.once('error', (error: NodeJS.ErrnoException) => {
        finish(resultOfError(error, elapsed()));
      });
      request.end(webhook.body);
    });
  }

  /** Why this URL must not be requested at all, checked before any socket exists. */
  private refusalOf(url: URL): string | undefined {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttp)) {
      return `${url.protocol.replace(/:$/, '')} URLs are not allowed`;
    }
    if (url.username !== '' || url.password !== '') return 'URLs with credentials are not allowed';
    // A literal address never goes through `lookup`, so it is judged here.
    const host = bareHost(url.hostname);
    if (isIP(host) !== 0) {
      const verdict = checkAddress(host, this.options.policy);
      if (!verdict.allowed) return new AddressNotAllowedError(host, host, verdict.range).message;
    }
    return undefined;
  }
}

function resultOfError(error: NodeJS.ErrnoException, durationMs: number): SendResult {
  if (error instanceof AddressNotAllowedError) {
    return { kind: 'refused', error: error.message, address: error.address, durationMs };
  }
  const code =
    error.code === undefined || error.message.includes(error.code) ? '' : ` (${error.code})`;
  return { kind: 'network', error: `${error.message}${code}`.slice(0, 500), durationMs };
}
