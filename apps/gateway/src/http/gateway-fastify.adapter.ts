import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * Nest's adapter loads @fastify/static from its own folder, where this workspace does not install
 * it (it sits in apps/gateway/node_modules): Swagger UI's assets are served with our copy.
 */
export class GatewayFastifyAdapter extends FastifyAdapter {
  override useStaticAssets(options: FastifyStaticOptions): this {
    void this.getInstance<FastifyInstance>().register(fastifyStatic, options);
    return this;
  }
}
