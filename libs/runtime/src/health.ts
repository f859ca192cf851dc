import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

/**
 * Components register what must hold before the process takes traffic; the admin listener
 * (admin-server.ts) answers /health/ready with it.
 */
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
