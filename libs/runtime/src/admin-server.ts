import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import type { Readiness } from './health';

/** What the admin listener serves; probes, scrapers and tests take the paths from here. */
export const adminRoutes = {
  live: '/health/live',
  ready: '/health/ready',
  metrics: '/metrics',
} as const;

type Answer = { status: number; type: string; body: string };

const json = (status: number, body: unknown): Answer => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

let defaultMetricsCollected = false;

/**
 * A process's health and metrics, on a port of their own (ADMIN_PORT) that no public ingress
 * reaches. It listens before anything else starts, so liveness answers while topics are created
 * and migrations run; readiness answers 503 until the application hands over its checks.
 */
export class AdminServer {
  private readiness?: Readiness;

  private constructor(private readonly server: Server) {}

  static async listen(port: number, host: string): Promise<AdminServer> {
    if (!defaultMetricsCollected) {
      // The event-loop delay histogram samples every 10 ms by default: a wake-up per 10 ms per
      // process, idle or not. 100 ms still shows any stall worth seeing.
      collectDefaultMetrics({ eventLoopMonitoringPrecision: 100 });
      defaultMetricsCollected = true;
    }
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 5000 });
    const admin = new AdminServer(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void admin.answer(request).then(
        (answer) => {
          send(request, response, answer);
        },
        () => {
          send(request, response, json(500, { status: 'error' }));
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return admin;
  }

  /** The port it listens on (ADMIN_PORT, or the one the system chose for 0). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on /health/ready answers what these checks say. */
  serveReadiness(readiness: Readiness): void {
    this.readiness = readiness;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage): Promise<Answer> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return json(405, { status: 'method_not_allowed' });
    }
    switch (new URL(request.url ?? '/', 'http://admin').pathname) {
      case adminRoutes.live:
        return json(200, { status: 'ok' });
      case adminRoutes.ready: {
        const { ready, checks } = (await this.readiness?.evaluate()) ?? {
          ready: false,
          checks: {},
        };
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
      }
      case adminRoutes.metrics:
        return { status: 200, type: register.contentType, body: await register.metrics() };
      default:
        return json(404, { status: 'not_found' });
    }
  }
}

function send(request: IncomingMessage, response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, {
    'content-type': answer.type,
    'content-length': Buffer.byteLength(answer.body),
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : answer.body);
}

/** Closes the admin listener `runService` started when the application closes, after its drain. */
@Injectable()
export class AdminListener implements OnApplicationShutdown {
  private server?: AdminServer;

  adopt(server: AdminServer): void {
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
