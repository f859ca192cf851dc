import { Controller, Get, Header, HttpCode, Injectable, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { collectDefaultMetrics, register } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

/** Components register what must hold before the process takes traffic. */
@Injectable()
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    return {
      ready: this.checks.length > 0 && results.every(([, ok]) => ok),
      checks: Object.fromEntries(results),
    };
  }
}

let defaultMetricsCollected = false;

@Controller()
export class HealthController {
  constructor(private readonly readiness: Readiness) {
    if (!defaultMetricsCollected) {
      // The event-loop delay histogram samples every 10 ms by default: a wake-up per 10 ms per
      // process, idle or not. 100 ms still shows any stall worth seeing.
      collectDefaultMetrics({ eventLoopMonitoringPrecision: 100 });
      defaultMetricsCollected = true;
    }
  }

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; checks: Record<string, boolean> }> {
    const { ready, checks } = await this.readiness.evaluate();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks };
  }

  @Get('metrics')
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
