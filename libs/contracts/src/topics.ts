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
  /** Topic-level configuration, kept in line at every provisioning. */
  config?: Record<string, string>;
}

/**
 * Requests and replies are worthless after the gateway's deadline; a short retention also bounds
 * how long even sealed card data stays on disk.
 */
export const REQUEST_RETENTION_MS = 60 * 60 * 1000;
const shortLived = { 'retention.ms': String(REQUEST_RETENTION_MS) };

/**
 * The largest record a reply topic takes. The largest legal list page is 100 customers or
 * payments, each with 50 metadata values of 500 characters (reachable through updates, past the
 * request body limit), every character escaped as JSON `\uXXXX`: about 17 MB before compression.
 * The transport gzips large replies, so real pages stay far below this.
 */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** The whole topic plan: what provisioning creates, with explicit partition counts. */
export const topicPlan = (): TopicSpec[] => [
  ...allRequestTopics().map((topic) => ({
    topic,
    numPartitions: TopicPartitions.request,
    config: shortLived,
  })),
  {
    topic: REPLY_TOPIC,
    numPartitions: TopicPartitions.reply,
    config: { ...shortLived, 'max.message.bytes': String(MAX_REPLY_BYTES) },
  },
  { topic: PAYMENTS_REPLY_TOPIC, numPartitions: TopicPartitions.reply, config: shortLived },
  ...Object.values(EventTopics).flatMap((topic) => [
    { topic, numPartitions: TopicPartitions.events },
    { topic: dlqTopicOf(topic), numPartitions: TopicPartitions.deadLetter },
  ]),
];
