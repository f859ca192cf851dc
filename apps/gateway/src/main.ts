import 'reflect-metadata';
import { loadConfig } from '@finfusion/config';
import { allRequestTopics, IdPrefixes, newId, replyTopicOf, topicPlan } from '@finfusion/contracts';
import { exitOnBootFailure, runService } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { GATEWAY_SCHEMA, GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';
import { GatewayFastifyAdapter } from './http/gateway-fastify.adapter';

/** The gateway produces to every request topic and consumes every reply topic. */
export function gatewayTopics(): ReturnType<typeof topicPlan> {
  const used = new Set<string>(allRequestTopics().flatMap((topic) => [topic, replyTopicOf(topic)]));
  return topicPlan().filter((spec) => used.has(spec.topic));
}

async function main(): Promise<void> {
  const config = loadConfig(GatewayConfig);
  await runService({
    name: 'gateway',
    module: AppModule.forRoot(config),
    config,
    schema: GATEWAY_SCHEMA,
    topics: gatewayTopics(),
    kafkaServer: false,
    adapter: new GatewayFastifyAdapter({
      bodyLimit: config.BODY_LIMIT_BYTES,
      // Our ids, never the client's: a client's X-Correlation-Id is kept apart.
      genReqId: () => newId(IdPrefixes.request),
      requestIdHeader: false,
      maxParamLength: 200,
    }),
    configure: (app) => configureHttp(app, config),
  });
}

main().catch(exitOnBootFailure);
