import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EventTopics,
  newId,
  type PublicEvent,
  type PublicEventType,
  type WebhookEndpointWithSecret,
  type WebhookEventSelector,
} from '@finfusion/contracts';
import { loadConfig } from '@finfusion/config';
import type { ConsumedRecord } from '@finfusion/kafka';
import { Clock, dataSourceOptions, migrate } from '@finfusion/runtime';
import {
  answer,
  bodyOf,
  publicEvent,
  requestOf,
  startWebhookReceiver,
  testEnv,
  type ReceivedWebhook as ReceivedRequest,
  type WebhookReceiver as Receiver,
  type WebhookResponder as Responder,
} from '@finfusion/testing';
import { DispatcherConfig } from '../config';
import { webhooksDatabase } from '../database';
import { DeliveryRepository } from '../deliveries/delivery.repository';
import { DeliveryLog } from '../deliveries/list-deliveries/delivery-log';
import { ListDeliveriesHandler } from '../deliveries/list-deliveries/list-deliveries.handler';
import { ResendDeliveryHandler } from '../deliveries/resend-delivery/resend-delivery.handler';
import { CreateEndpointHandler } from '../endpoints/create-endpoint/create-endpoint.handler';
import { DeleteEndpointHandler } from '../endpoints/delete-endpoint/delete-endpoint.handler';
import { EndpointRepository } from '../endpoints/endpoint.repository';
import { EndpointUrlPolicy } from '../endpoints/endpoint-url.policy';
import { GetEndpointHandler } from '../endpoints/get-endpoint/get-endpoint.handler';
import { ListEndpointsHandler } from '../endpoints/list-endpoints/list-endpoints.handler';
import { RotateSecretHandler } from '../endpoints/rotate-secret/rotate-secret.handler';
import { SecretBox } from '../endpoints/secret-box';
import { UpdateEndpointHandler } from '../endpoints/update-endpoint/update-endpoint.handler';
import { EventRepository } from '../events/event.repository';
import { GetEventHandler } from '../events/get-event/get-event.handler';
import { ListEventsHandler } from '../events/list-events/list-events.handler';
import { EventRecorder } from '../intake/event-recorder';
import { RetentionRepository } from '../retention/retention.repository';
import { RetentionSweeper } from '../retention/retention.sweeper';
import { AttemptRecorder } from '../sending/attempt-recorder';
import { DeliveryWorker } from '../sending/delivery.worker';
import { HttpSender } from '../sending/http-sender';
import type { HostResolver } from '../sending/ssrf-guard';

// Nest's default console logger would print every attempt the tests provoke.
Logger.overrideLogger(false);

/**
 * A migrated schema of its own per test file: no other file, and no dispatcher of the e2e stack
 * working on the `webhooks` schema of the same database, ever claims these deliveries.
 */
export interface WebhooksTestDb {
  schema: string;
  dataSource: DataSource;
  /** Another connection pool on the same schema, as a second replica would have. */
  openReplicaDataSource(): Promise<DataSource>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function openWebhooksTestDb(): Promise<WebhooksTestDb> {
  const schema = `webhooks_test_${randomBytes(4).toString('hex')}`;
  const open = async (): Promise<DataSource> => {
    const source = new DataSource(
      dataSourceOptions(webhooksDatabase(testEnv.databaseUrl, schema, 20)),
    );
    await source.initialize();
    return source;
  };
  const dataSource = await open();
  await migrate(dataSource, schema);
  const replicas: DataSource[] = [];
  return {
    schema,
    dataSource,
    async openReplicaDataSource() {
      const replica = await open();
      replicas.push(replica);
      return replica;
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const rows: unknown = await dataSource.query(
        sql.replaceAll('$schema', `"${schema}"`),
        params,
      );
      return rows as T[];
    },
    async close() {
      for (const replica of replicas) await replica.destroy();
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}

/** A configuration as a deployment would set it, compressed for tests. */
const testConfig = (env: Record<string, string> = {}): DispatcherConfig =>
  loadConfig(DispatcherConfig, {
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_RETRY_SCHEDULE: '0,30,30,30,30',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_LEASE_MS: '5000',
    WEBHOOK_POLL_MS: '20',
    ...env,
  });

/** The URL rules of a deployment: https only, no loopback. */
export const PRODUCTION_URLS = { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_LOOPBACK: 'false' };

/** A resolver answering from a table, as DNS would; unknown names do not resolve. */
export const fakeResolver =
  (table: Record<string, string | string[]>): HostResolver =>
  (hostname) => {
    const entry = table[hostname];
    if (entry === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
      );
    }
    const addresses: LookupAddress[] = (Array.isArray(entry) ? entry : [entry]).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    return Promise.resolve(addresses);
  };

/** Everything the dispatcher is made of, wired by hand around one data source and config. */
export interface Dispatcher {
  config: DispatcherConfig;
  secrets: SecretBox;
  endpoints: EndpointRepository;
  deliveries: DeliveryRepository;
  recorder: EventRecorder;
  worker: DeliveryWorker;
  sweeper: RetentionSweeper;
  create: CreateEndpointHandler;
  get: GetEndpointHandler;
  list: ListEndpointsHandler;
  update: UpdateEndpointHandler;
  remove: DeleteEndpointHandler;
  rotate: RotateSecretHandler;
  listDeliveries: ListDeliveriesHandler;
  resend: ResendDeliveryHandler;
  listEvents: ListEventsHandler;
  getEvent: GetEventHandler;
}

function dispatcherOf(
  dataSource: DataSource,
  config: DispatcherConfig,
  resolve: HostResolver = fakeResolver({}),
  clock: Clock = new Clock(),
): Dispatcher {
  const secrets = SecretBox.fromConfig(config.WEBHOOK_SECRET_KEYS);
  const endpoints = new EndpointRepository(dataSource, secrets);
  const deliveries = new DeliveryRepository(dataSource);
  const events = new EventRepository(dataSource);
  const urls = new EndpointUrlPolicy(
    { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK },
    resolve,
  );
  const sender = new HttpSender({
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowHttp: config.WEBHOOK_ALLOW_HTTP,
    policy: { allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK },
    resolve,
  });
  const worker = new DeliveryWorker(
    config,
    deliveries,
    new AttemptRecorder(config, dataSource, deliveries, endpoints),
    sender,
    secrets,
    clock,
  );
  return {
    config,
    secrets,
    endpoints,
    deliveries,
    recorder: new EventRecorder(config, dataSource),
    worker,
    sweeper: new RetentionSweeper(config, new RetentionRepository(dataSource), clock),
    create: new CreateEndpointHandler(config, endpoints, urls, clock),
    get: new GetEndpointHandler(endpoints),
    list: new ListEndpointsHandler(endpoints),
    update: new UpdateEndpointHandler(endpoints, deliveries, urls, clock),
    remove: new DeleteEndpointHandler(endpoints, deliveries, clock),
    rotate: new RotateSecretHandler(config, endpoints, clock),
    listDeliveries: new ListDeliveriesHandler(new DeliveryLog(endpoints, deliveries)),
    resend: new ResendDeliveryHandler(endpoints, deliveries, worker),
    listEvents: new ListEventsHandler(events),
    getEvent: new GetEventHandler(events),
  };
}

/** A dispatcher of a test bed, with the two steps most tests start from. */
export interface TestDispatcher extends Dispatcher {
  /** Registers an endpoint of the merchant at `url`, with its secret. */
  endpoint(
    merchantId: string,
    url: string,
    events?: WebhookEventSelector[],
  ): Promise<WebhookEndpointWithSecret>;
  /** Takes in a new event of the merchant and wakes the worker; returns it and the body sent. */
  publish(
    merchantId: string,
    type?: PublicEventType,
  ): Promise<{ event: PublicEvent; body: string }>;
}

/**
 * What an int-spec file runs on: its own migrated schema, opened before its first test and
 * dropped after its last, and dispatchers, receivers and anything else given to `cleanup`, undone
 * in reverse order after the test that made them (or after the file, when made in `beforeAll`).
 */
export interface WebhooksTestBed {
  readonly db: WebhooksTestDb;
  dispatcher(env?: Record<string, string>, resolve?: HostResolver): TestDispatcher;
  /** A dispatcher on a connection pool of its own, as a second replica would have. */
  replica(env?: Record<string, string>, resolve?: HostResolver): Promise<TestDispatcher>;
  receiver(respond?: Responder): Promise<Receiver>;
  cleanup(undo: () => Promise<void>): void;
}

export interface TestBedOptions {
  /** Fails what a test left pending, so it never reaches the next test's worker. */
  failPendingAfterEach?: boolean;
}

export function webhooksTestBed(options: TestBedOptions = {}): WebhooksTestBed {
  let db: WebhooksTestDb | undefined;
  const afterFile: (() => Promise<void>)[] = [];
  const afterTest: (() => Promise<void>)[] = [];
  let scope = afterFile;
  const testDispatcher = (
    dataSource: DataSource,
    env: Record<string, string>,
    resolve?: HostResolver,
  ): TestDispatcher => {
    const made = dispatcherOf(dataSource, testConfig(env), resolve);
    bed.cleanup(() => made.worker.stop(0));
    return {
      ...made,
      endpoint: async (merchantId, url, events = ['*']) =>
        bodyOf(await made.create.handle(requestOf(merchantId, { url, events }))),
      publish: async (merchantId, type) => {
        const event = eventOf(merchantId, type);
        const record = recordOf(event);
        await made.recorder.record(record);
        made.worker.wake();
        return { event, body: record.value ?? '' };
      },
    };
  };
  const undoAll = async (undos: (() => Promise<void>)[]): Promise<void> => {
    for (const undo of undos.splice(0).reverse()) await undo();
  };
  const bed: WebhooksTestBed = {
    get db() {
      if (db === undefined) throw new Error('the test bed opens its database in beforeAll');
      return db;
    },
    dispatcher: (env = {}, resolve) => testDispatcher(bed.db.dataSource, env, resolve),
    replica: async (env = {}, resolve) =>
      testDispatcher(await bed.db.openReplicaDataSource(), env, resolve),
    async receiver(respond) {
      const started = await startWebhookReceiver(respond);
      bed.cleanup(() => started.close());
      return started;
    },
    cleanup(undo) {
      scope.push(undo);
    },
  };
  beforeAll(async () => {
    db = await openWebhooksTestDb();
  });
  beforeEach(() => {
    scope = afterTest;
  });
  afterEach(async () => {
    scope = afterFile;
    await undoAll(afterTest);
    if (options.failPendingAfterEach === true) {
      await bed.db.query(
        `UPDATE $schema.deliveries SET status = 'failed', next_attempt_at = NULL
         WHERE status = 'pending'`,
      );
    }
  });
  afterAll(async () => {
    await undoAll(afterFile);
    await db?.close();
  });
  return bed;
}

/** A public event envelope as the relays publish it, and the Kafka record carrying it. */
export const eventOf = (
  merchantId: string,
  type: PublicEventType = 'payment.succeeded',
): PublicEvent<{ id: string; status: string }> =>
  publicEvent(merchantId, type, { id: newId('pay'), status: 'succeeded' });

export const recordOf = (event: PublicEvent, offset = '0'): ConsumedRecord => ({
  topic: event.type.startsWith('customer.') ? EventTopics.customers : EventTopics.payments,
  partition: 0,
  offset,
  key: event.id,
  value: JSON.stringify(event),
  headers: {},
});

// The receiver of the end-to-end tests, under the names these tests use.
export { answer, startWebhookReceiver as startReceiver };
export type { ReceivedRequest, Receiver, Responder };

/** Polls until `probe` returns something truthy, which it returns; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'the condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
