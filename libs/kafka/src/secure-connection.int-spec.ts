import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';
import { loadConfig, ServiceConfig } from '@finfusion/config';
import {
  EventTopics,
  RequestTopics,
  topicPlan,
  topicsOf,
  type AppName,
} from '@finfusion/contracts';
import { startSecureBroker, type SecureBroker } from '@finfusion/testing';
import { EventConsumer, type ConsumedRecord } from './event-consumer';
import type { StructuredLogger } from './kafka-logger';
import {
  kafkaClientConfig,
  kafkaConnection,
  SASL_MECHANISMS,
  type KafkaConnection,
} from './kafka-options';
import { checkTopics, provisionTopics } from './provision';
import { KeyedPublisher } from './publisher';
import { aclsOf } from './strimzi';

// The services' Kafka settings against a broker run as managed clusters are: SASL over TLS,
// mutual TLS, and ACLs that give each app's user only what its KafkaUser resource says.

const APP_USERS: Record<AppName, string> = {
  gateway: 'gateway-secret',
  payments: 'payments-secret',
  customers: 'customers-secret',
  'webhook-dispatcher': 'dispatcher-secret',
};
const userOf = (app: AppName) => `finfusion-${app}`;

const quiet = () => undefined;
const logger: StructuredLogger = { error: quiet, warn: quiet, info: quiet, debug: quiet };

let broker: SecureBroker;

const sasl = (
  app: AppName | 'admin',
  overrides: Partial<NonNullable<KafkaConnection['sasl']>> = {},
): KafkaConnection => ({
  brokers: broker.saslBrokers,
  tls: { ca: broker.ca },
  sasl: {
    mechanism: 'scram-sha-512',
    username: app === 'admin' ? 'admin' : userOf(app),
    password: app === 'admin' ? 'admin-secret' : APP_USERS[app],
    ...overrides,
  },
});

async function withAdmin<T>(connection: KafkaConnection, work: (admin: Admin) => Promise<T>) {
  const kafka = new Kafka({
    ...kafkaClientConfig({ ...connection, clientId: 'secure-test' }),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The Strimzi ACLs of each app's user, as the cluster's User Operator would set them. */
async function grantAppAcls(admin: Admin): Promise<void> {
  const apps = Object.keys(APP_USERS) as AppName[];
  await admin.createAcls({
    acl: apps.flatMap((app) =>
      aclsOf(app).flatMap((acl) =>
        acl.operations.map((operation) => ({
          resourceType:
            acl.resource.type === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
          resourceName: acl.resource.name,
          resourcePatternType:
            acl.resource.patternType === 'prefix'
              ? ResourcePatternTypes.PREFIXED
              : ResourcePatternTypes.LITERAL,
          principal: `User:${userOf(app)}`,
          host: '*',
          operation: AclOperationTypes[operation.toUpperCase() as 'READ' | 'WRITE' | 'DESCRIBE'],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    ),
  });
}

/** ACLs reach the authorizer through the metadata log: wait until a granted write goes through. */
async function aclsInForce(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await produce('payments', EventTopics.payments);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function produce(app: AppName, topic: string): Promise<void> {
  const producer = new Kafka({
    ...kafkaClientConfig({ ...sasl(app), clientId: 'secure-test' }),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  broker = await startSecureBroker({ admin: 'admin-secret', ...usersByName() });
  await withAdmin(sasl('admin'), async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topicPlan().map(({ topic, numPartitions, config }) => ({
        topic,
        numPartitions,
        configEntries: Object.entries(config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    await grantAppAcls(admin);
  });
  await aclsInForce();
}, 120_000);

afterAll(async () => {
  await (broker as SecureBroker | undefined)?.stop();
});

function usersByName(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(APP_USERS).map(([app, password]) => [userOf(app as AppName), password]),
  );
}

describe('a broker that requires a login over TLS', () => {
  it.each(SASL_MECHANISMS)('takes the %s login inside TLS', async (mechanism) => {
    const topics = await withAdmin(sasl('admin', { mechanism }), (admin) => admin.listTopics());
    expect(topics).toContain(EventTopics.payments);
  });

  it('refuses a wrong password and a connection without TLS', async () => {
    await expect(
      withAdmin(sasl('payments', { password: 'wrong' }), (admin) => admin.listTopics()),
    ).rejects.toThrow(/authentication failed/i);
    const withoutTls: KafkaConnection = { ...sasl('payments'), tls: undefined };
    await expect(withAdmin(withoutTls, (admin) => admin.listTopics())).rejects.toThrow();
  });

  it('takes a client certificate on its mutual-TLS listener, and refuses none', async () => {
    const mtls: KafkaConnection = {
      brokers: broker.mtlsBrokers,
      tls: { ca: broker.ca, cert: broker.clientCert, key: broker.clientKey },
    };
    expect(await withAdmin(mtls, (admin) => admin.listTopics())).toContain(EventTopics.customers);
    await expect(
      withAdmin({ brokers: broker.mtlsBrokers, tls: { ca: broker.ca } }, (admin) =>
        admin.listTopics(),
      ),
    ).rejects.toThrow();
  });

  it("publishes and consumes events with an app's own login", async () => {
    const received: ConsumedRecord[] = [];
    const consumer = new EventConsumer({
      ...sasl('webhook-dispatcher'),
      clientId: 'secure-test',
      groupId: 'webhook-dispatcher-secure-test',
      topics: [EventTopics.payments],
      handle: (record) => {
        received.push(record);
        return Promise.resolve();
      },
      logger,
    });
    const publisher = new KeyedPublisher({ ...sasl('payments'), clientId: 'secure-test' }, logger);
    await consumer.start();
    await publisher.connect();
    try {
      await waitForAssignment(consumer);
      await publisher.publish(EventTopics.payments, [{ key: 'pay_1', value: '{"id":"evt_1"}' }]);
      await until(() => received.some((record) => record.key === 'pay_1'));
      expect(received.find((record) => record.key === 'pay_1')).toMatchObject({
        value: '{"id":"evt_1"}',
      });
    } finally {
      await publisher.disconnect();
      await consumer.stop();
    }
  }, 60_000);
});

describe("a service's configuration of a secured cluster", () => {
  const configOf = (app: AppName, extra: Record<string, string> = {}) =>
    loadConfig(ServiceConfig, {
      KAFKA_BROKERS: broker.saslBrokers.join(','),
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: broker.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: userOf(app),
      KAFKA_SASL_PASSWORD: APP_USERS[app],
      ...extra,
    });

  it('checks, with Describe rights only, that the topics it uses exist (TOPICS_PROVISION=false)', async () => {
    const config = configOf('payments', { TOPICS_PROVISION: 'false' });
    expect(await checkTopics(kafkaConnection(config), topicsOf('payments'))).toEqual({
      missing: [],
      short: [],
    });
    const unplanned = [{ topic: 'payments.unplanned', numPartitions: 1 }];
    expect((await checkTopics(kafkaConnection(config), unplanned)).missing).toEqual([
      'payments.unplanned',
    ]);
  });

  it('provisions with an operator login and keeps an app login from doing so', async () => {
    const admin = loadConfig(ServiceConfig, {
      KAFKA_BROKERS: broker.saslBrokers.join(','),
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: broker.caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'admin',
      KAFKA_SASL_PASSWORD: 'admin-secret',
    });
    const topic = { topic: 'operator.provisioned', numPartitions: 2 };
    expect((await provisionTopics(kafkaConnection(admin), [topic])).created).toEqual([topic.topic]);
    const refused = await provisionTopics(kafkaConnection(configOf('payments')), [
      { topic: 'payments.self-made', numPartitions: 1 },
    ]).catch((error: unknown) => error);
    expect(errorTypes(refused)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });
});

describe("the apps' Kafka users (the generated KafkaUser ACLs)", () => {
  it('let each app write what it produces', async () => {
    await expect(produce('payments', EventTopics.payments)).resolves.toBeUndefined();
    await expect(produce('gateway', RequestTopics.webhooks.create)).resolves.toBeUndefined();
  });

  it("refuse writes to another app's topics, topic creation and settings changes", async () => {
    await expect(produce('payments', RequestTopics.webhooks.create)).rejects.toThrow(
      /not authorized/i,
    );
    await expect(produce('gateway', EventTopics.payments)).rejects.toThrow(/not authorized/i);
    const creating = withAdmin(sasl('payments'), (admin) =>
      admin.createTopics({ topics: [{ topic: 'payments.not-planned' }] }),
    );
    expect(errorTypes(await creating.catch((error: unknown) => error))).toContain(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it("refuse a consumer group outside the app's own prefix", async () => {
    // kafkajs reports a group it may not use as a coordinator it cannot find.
    expect(await joinAs('payments', 'payments-secure-test')).toBe('joined');
    expect(await joinAs('payments', 'gateway-borrowed')).toMatch(/GroupCoordinatorNotFound/);
  }, 60_000);
});

/** Whether `app`'s user may consume payments.create in `groupId`: 'joined', or the crash. */
async function joinAs(app: AppName, groupId: string): Promise<string> {
  const kafka = new Kafka({
    ...kafkaClientConfig({ ...sasl(app), clientId: 'secure-test' }),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId,
    retry: { retries: 0, restartOnFailure: () => Promise.resolve(false) },
  });
  const outcome = new Promise<string>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      resolve('joined');
    });
    consumer.on(consumer.events.CRASH, (event) => {
      resolve(event.payload.error.name);
    });
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [RequestTopics.payments.create] });
    await consumer.run({ eachMessage: () => Promise.resolve() });
    return await outcome;
  } finally {
    await consumer.disconnect();
  }
}

/** The Kafka error codes inside a kafkajs error (its own, its causes', an aggregate's). */
function errorTypes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const { type, errors, originalError, cause } = error as Record<string, unknown>;
  return [
    ...(typeof type === 'string' ? [type] : []),
    ...(Array.isArray(errors) ? errors.flatMap(errorTypes) : []),
    ...errorTypes(originalError),
    ...errorTypes(cause),
  ];
}

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForAssignment(consumer: EventConsumer): Promise<void> {
  await until(() => consumer.readiness.check().ok);
}
