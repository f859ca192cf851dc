import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Consumer } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  ConfigError,
  loadConfig,
  type RequestReplyConfig,
  type ServiceConfig,
} from '@finfusion/config';
import type { TopicSpec } from '@finfusion/contracts';
import {
  checkTopics,
  ConsumerReadiness,
  kafkaConnection,
  provisionTopics,
  serverTransport,
  type KafkaConnection,
} from '@finfusion/kafka';
import { AdminListener, AdminServer } from './admin-server';
import { databaseAnswers, migrate, requireMigrated } from './database';
import { Readiness } from './health';
import { requestVerification } from './request-signing';
import { ServiceIdentity } from './runtime.module';

/** How a service is served; its name and schema come from `RuntimeModule.forService`. */
export interface ServiceDefinition {
  /** The root module, which imports `RuntimeModule.forService`. */
  module: Type<unknown> | DynamicModule;
  /** Topics this process produces to or consumes from; created if missing. */
  topics: TopicSpec[];
  /** Serve the service's request topics through the batching Kafka transport of libs/kafka. */
  kafkaServer: boolean;
  /** Extra set-up on the application before it listens (documentation, hooks…). */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  adapter?: FastifyAdapter;
}

/** What every service reads, and the port it listens on. */
export type ListeningConfig = RequestReplyConfig & { PORT: number };

/**
 * The whole of a service's entry point: loads and validates its configuration, then runs the
 * service it defines; a failure at boot ends the process (see exitOnBootFailure).
 */
export function serve<C extends ListeningConfig>(
  schema: new () => C,
  define: (config: C) => ServiceDefinition,
): void {
  const boot = async (): Promise<void> => {
    const config = loadConfig(schema);
    await runService(config, define(config));
  };
  boot().catch(exitOnBootFailure);
}

/**
 * Starts one service process: the admin listener (health, metrics), then topics, migrations,
 * lifecycle hooks, Kafka consumers, then HTTP. Readiness turns true only once the database
 * answers and every consumer has joined its group; the admin listener closes with the app.
 */
export async function runService(
  config: ListeningConfig,
  definition: ServiceDefinition,
): Promise<INestApplication> {
  // Health and metrics first, on their own port: liveness answers during the whole start-up.
  const admin = await AdminServer.listen(config.ADMIN_PORT, adminHostOf(config));
  try {
    return await startService(config, definition, admin);
  } catch (error) {
    await admin.close();
    throw error;
  }
}

async function startService(
  config: ListeningConfig,
  definition: ServiceDefinition,
  admin: AdminServer,
): Promise<INestApplication> {
  const kafka = kafkaConnection(config);
  await prepareTopics(config, kafka, definition.topics);

  const app = await NestFactory.create<NestFastifyApplication>(
    definition.module,
    definition.adapter ?? new FastifyAdapter(),
    bufferedLogs,
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  forceExitAfter(config.SHUTDOWN_TIMEOUT_MS);
  const { name, schema } = app.get(ServiceIdentity);
  app.get(AdminListener).adopt(admin);

  const dataSource = app.get(DataSource);
  if (config.MIGRATIONS_RUN) {
    const ran = await migrate(dataSource, schema);
    if (ran.length > 0) logger.log({ msg: 'migrations applied', migrations: ran });
  } else {
    await requireMigrated(dataSource, schema);
  }
  const readiness = app.get(Readiness);
  readiness.register({ name: 'database', check: () => databaseAnswers(dataSource) });
  // Ready implies the HTTP port takes connections: a client waiting for readiness (a rollout, a
  // restarted test stack) must not reach the port before it listens.
  let listening = false;
  readiness.register({ name: 'http', check: () => listening });
  admin.serveReadiness(readiness);

  if (definition.kafkaServer) {
    const server = app.connectMicroservice<MicroserviceOptions>(
      serverTransport({
        ...kafka,
        clientId: name,
        groupId: name,
        maxInFlight: config.KAFKA_MAX_IN_FLIGHT,
        lingerMs: config.KAFKA_LINGER_MS,
        commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS,
        ...requestVerification(config),
      }),
      { inheritAppConfig: true },
    );
    // Lifecycle hooks first: work that needs only Postgres (relays, projections, the webhook
    // worker) starts at once, not after the request group's join, which waits out a crashed
    // predecessor's Kafka session (about 30 s).
    await app.init();
    await app.startAllMicroservices();
    const [, consumer] = server.unwrap<[unknown, Consumer]>();
    const joined = new ConsumerReadiness(`${name}-requests`).watch(consumer, true);
    readiness.register({ name: 'kafka-requests', check: () => joined.check().ok });
  }

  await definition.configure?.(app);
  await app.listen(config.PORT, config.HOST);
  listening = true;
  logger.log({
    msg: `${name} listening`,
    port: config.PORT,
    host: config.HOST,
    admin_port: admin.port,
    admin_host: adminHostOf(config),
  });
  return app;
}

/**
 * Creates the process's missing topics and sets their planned settings, or, where the platform
 * owns topics (TOPICS_PROVISION=false), checks with Describe rights only that they all exist
 * with their partitions, so a missing one stops the start with its name rather than a consumer
 * that waits forever.
 */
async function prepareTopics(
  config: ServiceConfig,
  kafka: KafkaConnection,
  topics: TopicSpec[],
): Promise<void> {
  if (config.TOPICS_PROVISION) {
    await provisionTopics(kafka, topics, config.KAFKA_REPLICATION_FACTOR);
    return;
  }
  const { missing, short } = await checkTopics(kafka, topics);
  const problems = [
    ...missing.map((topic) => `${topic} is missing`),
    ...short.map((t) => `${t.topic} has ${t.partitions} partitions, the plan ${t.planned}`),
  ];
  if (problems.length > 0) {
    throw new ConfigError(
      `TOPICS_PROVISION=false, and the cluster's topics do not match the plan: ` +
        `${problems.join('; ')}. Create them (infra/k8s/components/strimzi) or provision them.`,
    );
  }
}

const adminHostOf = (config: ServiceConfig & { HOST: string }): string =>
  config.ADMIN_HOST === '' ? config.HOST : config.ADMIN_HOST;

/** Logs wait until the JSON logger is in place, so even start-up lines are structured. */
const bufferedLogs: NestApplicationOptions = { bufferLogs: true };

/** Shutdown hooks close consumers and pools; this bounds how long they may take. */
function forceExitAfter(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), timeoutMs).unref();
    });
  }
}

/** The entry point's catch: a configuration error is printed plainly, anything else with its stack. */
export function exitOnBootFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
