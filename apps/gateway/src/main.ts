import 'reflect-metadata';
import { IdPrefixes, newId, topicsOf } from '@finfusion/contracts';
import { serve } from '@finfusion/runtime';
import { AppModule } from './app.module';
import { GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';
import { answerClientError, answerFrameworkError, MAX_PARAM_LENGTH } from './http/framework-errors';
import { GatewayFastifyAdapter } from './http/gateway-fastify.adapter';

serve(GatewayConfig, (config) => ({
  module: AppModule.forRoot(config),
  topics: topicsOf('gateway', { minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS }),
  kafkaServer: false,
  adapter: new GatewayFastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Our ids, never the client's: a client's X-Correlation-Id is kept apart.
    genReqId: () => newId(IdPrefixes.request),
    requestIdHeader: false,
    maxParamLength: MAX_PARAM_LENGTH,
    // X-Forwarded-For names the client only behind a listed proxy; else the peer is the client.
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
    frameworkErrors: answerFrameworkError,
    // A slow client cannot hold a connection: headers, then the whole request, must arrive in
    // time (Node checks every second), and a silent connection is closed.
    requestTimeout: config.HTTP_RECEIVE_TIMEOUT_MS,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_RECEIVE_TIMEOUT_MS,
      connectionsCheckingInterval: 1000,
      // Node would answer a missing Host itself, bare; the request hooks answer it instead.
      requireHostHeader: false,
    },
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    clientErrorHandler: answerClientError,
  }),
  configure: (app) => {
    configureHttp(app, config);
  },
}));
