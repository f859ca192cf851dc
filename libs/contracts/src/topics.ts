// Every Kafka topic the platform uses. Apps never spell a topic name themselves.

export const RequestTopics = {
  customers: {
    create: 'customers.create',
    get: 'customers.get',
    list: 'customers.list',
    update: 'customers.update',
    delete: 'customers.delete',
    /** Between services: whose customer an id is, and whether it is deleted (payments asks). */
    lookup: 'customers.lookup',
  },
  payments: {
    create: 'payments.create',
    get: 'payments.get',
    list: 'payments.list',
    events: 'payments.events',
    dailyReport: 'payments.report-daily',
    capture: 'payments.capture',
    cancel: 'payments.cancel',
    /** Refunds live on their payment's stream, so the payments service decides them. */
    createRefund: 'refunds.create',
    getRefund: 'refunds.get',
    listRefunds: 'refunds.list',
  },
  webhooks: {
    create: 'webhooks.create',
    get: 'webhooks.get',
    list: 'webhooks.list',
    update: 'webhooks.update',
    delete: 'webhooks.delete',
    rotateSecret: 'webhooks.rotate-secret',
    deliveries: 'webhooks.deliveries',
    resend: 'webhooks.resend',
  },
  /** The merchant's public events, as the webhook dispatcher took them in (GET /v2/events). */
  events: {
    list: 'events.list',
    get: 'events.get',
  },
} as const;

export type ServiceName = keyof typeof RequestTopics;
export type RequestTopic = {
  [S in ServiceName]: (typeof RequestTopics)[S][keyof (typeof RequestTopics)[S]];
}[ServiceName];

export const EventTopics = {
  payments: 'payments.payment.events',
  customers: 'customers.customer.events',
} as const;

export type EventTopic = (typeof EventTopics)[keyof typeof EventTopics];

/**
 * Every reply goes to this one topic, on the partitions of the gateway replica that asked (the
 * Nest client's own assignment). One topic of 8 partitions instead of a `.reply` topic per
 * request topic: kafkajs lists every partition a consumer owns in each fetch, so the gateway's
 * fetches stay small.
 */
export const REPLY_TOPIC = 'gateway.replies';

/**
 * Replies to the requests the payments service sends other services (customers.lookup), on the
 * partitions of the payments replica that asked: at least one partition per payments replica.
 */
export const PAYMENTS_REPLY_TOPIC = 'payments.replies';
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

export const requestTopicsOf = (service: ServiceName): RequestTopic[] =>
  Object.values(RequestTopics[service]);

export const allRequestTopics = (): RequestTopic[] =>
  (Object.keys(RequestTopics) as ServiceName[]).flatMap(requestTopicsOf);

/**
 * Partition counts. Request topics are consumed concurrently per partition; the reply topic needs
 * at least one partition per gateway replica (each replica owns its reply partitions).
 */
export const TopicPartitions = {
  request: 6,
  reply: 8,
  events: 6,
  deadLetter: 1,
} as const;

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /**
   * Topic-level settings. Provisioning sets these at creation and brings an existing topic's
   * values in line, one setting at a time: settings the plan does not name are left alone.
   */
  config?: Record<string, string>;
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const MIB = 1024 * 1024;

/**
 * Requests and replies are worthless after the gateway's deadline; a short retention also bounds
 * how long even sealed card data stays on disk.
 */
export const REQUEST_RETENTION_MS = HOUR_MS;

/**
 * How long the event topics keep a record: a month for analysts and for consumers that were down.
 * The Postgres event log is the lasting history.
 */
export const EVENT_RETENTION_MS = 30 * DAY_MS;

/** Parked records wait a month for an operator's look (`npm run dlq`). */
export const DEAD_LETTER_RETENTION_MS = 30 * DAY_MS;

/**
 * The largest record a reply topic takes. The largest legal list page is 100 customers or
 * payments, each with 50 metadata values of 500 characters (reachable through updates, past the
 * request body limit), every character escaped as JSON `\uXXXX`: about 17 MB before compression.
 * The transport gzips large replies, so real pages stay far below this.
 */
export const MAX_REPLY_BYTES = 32 * MIB;

/** Requests carry one API body (the gateway takes at most 64 KiB) and its metadata. */
export const MAX_REQUEST_BYTES = MIB;

/** An event carries one resource; the relays send batches of at most 900 KiB. */
export const MAX_EVENT_BYTES = MIB;

/** A parked record is the event as it was plus headers naming the failure. */
export const MAX_DEAD_LETTER_BYTES = 2 * MIB;

export interface TopicPlanOptions {
  /**
   * `min.insync.replicas` of the event and dead-letter topics: how many replicas must have a
   * record before the relay's write (acks from all in-sync replicas) succeeds. At most the
   * replication factor; 2 with a replication factor of 3 in production. Requests and replies
   * keep 1: they are acknowledged by the leader alone, and a lost one is retried by its caller.
   */
  minInsyncReplicas?: number;
}

const settings = (retentionMs: number, maxBytes: number, minInsyncReplicas: number) => ({
  'cleanup.policy': 'delete',
  'retention.ms': String(retentionMs),
  'max.message.bytes': String(maxBytes),
  'min.insync.replicas': String(minInsyncReplicas),
});

/** The whole topic plan: what provisioning creates, every partition count and setting explicit. */
export const topicPlan = ({ minInsyncReplicas = 1 }: TopicPlanOptions = {}): TopicSpec[] => [
  ...allRequestTopics().map((topic) => ({
    topic,
    numPartitions: TopicPartitions.request,
    config: settings(REQUEST_RETENTION_MS, MAX_REQUEST_BYTES, 1),
  })),
  {
    topic: REPLY_TOPIC,
    numPartitions: TopicPartitions.reply,
    config: settings(REQUEST_RETENTION_MS, MAX_REPLY_BYTES, 1),
  },
  {
    topic: PAYMENTS_REPLY_TOPIC,
    numPartitions: TopicPartitions.reply,
    config: settings(REQUEST_RETENTION_MS, MAX_REPLY_BYTES, 1),
  },
  ...Object.values(EventTopics).flatMap((topic) => [
    {
      topic,
      numPartitions: TopicPartitions.events,
      config: settings(EVENT_RETENTION_MS, MAX_EVENT_BYTES, minInsyncReplicas),
    },
    {
      topic: dlqTopicOf(topic),
      numPartitions: TopicPartitions.deadLetter,
      config: settings(DEAD_LETTER_RETENTION_MS, MAX_DEAD_LETTER_BYTES, minInsyncReplicas),
    },
  ]),
];

export type AppName = 'gateway' | 'payments' | 'customers' | 'webhook-dispatcher';

/**
 * What each app reads and writes on Kafka. Its consumer groups all start with its name (a
 * `<app>` prefix), so one prefixed ACL covers them. Provisioning at start-up creates the topics
 * an app uses; on a managed cluster this is what each app's Kafka user is allowed.
 */
export interface TopicAccess {
  consumes: string[];
  produces: string[];
}

export const topicAccess = (app: AppName): TopicAccess => {
  switch (app) {
    case 'gateway':
      return { consumes: [REPLY_TOPIC], produces: allRequestTopics() };
    case 'payments':
      return {
        consumes: [...requestTopicsOf('payments'), PAYMENTS_REPLY_TOPIC, EventTopics.customers],
        produces: [
          REPLY_TOPIC,
          // customers.lookup: whose customer an id is; the answer comes back on payments.replies.
          RequestTopics.customers.lookup,
          EventTopics.payments,
          dlqTopicOf(EventTopics.customers),
        ],
      };
    case 'customers':
      return {
        consumes: requestTopicsOf('customers'),
        produces: [REPLY_TOPIC, PAYMENTS_REPLY_TOPIC, EventTopics.customers],
      };
    case 'webhook-dispatcher':
      return {
        consumes: [
          ...requestTopicsOf('webhooks'),
          ...requestTopicsOf('events'),
          ...Object.values(EventTopics),
        ],
        produces: [REPLY_TOPIC, ...Object.values(EventTopics).map(dlqTopicOf)],
      };
  }
};

/** The plan's topics that `app` reads or writes. */
export const topicsOf = (app: AppName, options?: TopicPlanOptions): TopicSpec[] => {
  const { consumes, produces } = topicAccess(app);
  const used = new Set([...consumes, ...produces]);
  return topicPlan(options).filter((spec) => used.has(spec.topic));
};
