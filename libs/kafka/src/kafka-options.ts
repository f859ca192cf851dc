import fs from 'node:fs';
import { Partitioners, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { MAX_REPLY_BYTES, PAYMENTS_REPLY_TOPIC, REPLY_TOPIC } from '@finfusion/contracts';
import { BatchingKafkaClient } from './transport/batching-kafka.client';
import { BatchingKafkaServer } from './transport/batching-kafka.server';
import type { MicroBatchOptions } from './transport/micro-batch-producer';
import { RequestSigner, type RefusalReason, type SigningKey } from './transport/request-signature';

/** How a process reaches the brokers: addresses, and TLS and a login where the cluster wants them. */
export interface KafkaConnection {
  brokers: string[];
  /**
   * TLS to the brokers. An empty object trusts the system's CAs; `ca` (PEM) trusts that CA
   * instead; `cert` and `key` (PEM) present a client certificate (mutual TLS).
   */
  tls?: { ca?: string; cert?: string; key?: string };
  /** A SASL login, sent inside TLS when `tls` is set (the only sane way: PLAIN sends it as is). */
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The connection variables of a service's configuration (ServiceConfig's KAFKA_*). */
export interface KafkaConnectionConfig {
  KAFKA_BROKERS: string[];
  KAFKA_TLS: boolean;
  KAFKA_TLS_CA_FILE: string;
  KAFKA_TLS_CERT_FILE: string;
  KAFKA_TLS_KEY_FILE: string;
  KAFKA_SASL_MECHANISM: string;
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_PASSWORD: string;
}

const isSaslMechanism = (value: string): value is SaslMechanism =>
  (SASL_MECHANISMS as readonly string[]).includes(value);

/** The connection a configuration describes; certificate files are read on each call (each client made). */
export function kafkaConnection(config: KafkaConnectionConfig): KafkaConnection {
  const pem = (file: string) => (file === '' ? undefined : fs.readFileSync(file, 'utf8'));
  const [ca, cert, key] = [
    config.KAFKA_TLS_CA_FILE,
    config.KAFKA_TLS_CERT_FILE,
    config.KAFKA_TLS_KEY_FILE,
  ].map(pem);
  const mechanism = config.KAFKA_SASL_MECHANISM;
  return {
    brokers: config.KAFKA_BROKERS,
    ...(config.KAFKA_TLS && {
      tls: { ...(ca !== undefined && { ca }), ...(cert !== undefined && { cert, key }) },
    }),
    ...(isSaslMechanism(mechanism) && {
      sasl: {
        mechanism,
        username: config.KAFKA_SASL_USERNAME,
        password: config.KAFKA_SASL_PASSWORD,
      },
    }),
  };
}

export interface KafkaSettings extends KafkaConnection {
  clientId: string;
}

/** How a process batches its request/reply traffic (ServiceConfig's KAFKA_* variables). */
export interface RequestReplySettings {
  /** Requests a service replica handles at once. */
  maxInFlight: number;
  /** How long a produced record waits for others to share its request; 0: the same tick. */
  lingerMs: number;
  commitIntervalMs: number;
}

/** The key ring requests are signed and verified with (REQUEST_SIGNING_KEYS). */
export interface RequestSigningSettings {
  /** The first signs; every one verifies. */
  signingKeys: readonly SigningKey[];
  /** How far a request's time of signing may be from the verifier's clock. */
  signatureMaxAgeMs: number;
}

/**
 * Retries back off from 200 ms, doubling, but never wait more than 5 s. kafkajs restarts a
 * crashed consumer after the last backoff of the retries that gave up (its `retryTime`), 30 s
 * by its default cap: with this one a request server is back within seconds of its broker.
 */
export const KAFKA_RETRY = { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8 } as const;

export const kafkaClientConfig = ({
  brokers,
  clientId,
  tls,
  sasl,
}: KafkaSettings): KafkaConfig => ({
  clientId,
  brokers,
  connectionTimeout: 3000,
  retry: { ...KAFKA_RETRY },
  ...(tls !== undefined && { ssl: { ...tls } }),
  ...(sasl !== undefined && { sasl: saslOptions(sasl) }),
});

// kafkajs types each mechanism apart; the settings name one of them.
const saslOptions = ({
  mechanism,
  username,
  password,
}: NonNullable<KafkaConnection['sasl']>): SASLOptions => {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
};

/**
 * Requests and replies are acknowledged by the partition leader alone: a lost one costs the
 * caller a timeout and a retry with its idempotency key, never a fact (facts live in Postgres,
 * and events leave through the relays with acks from every in-sync replica).
 */
const requestReplyBatch = (lingerMs: number): MicroBatchOptions => ({
  lingerMs,
  acks: 1,
  maxBatchBytes: 512 * 1024,
  compressFromBytes: 64 * 1024,
});

const consumerBase = (groupId: string) => ({
  groupId,
  allowAutoTopicCreation: false,
  sessionTimeout: 30_000,
  heartbeatInterval: 3_000,
  // A fetch returns as soon as one record is there (minBytes 1): latency first. An idle fetch
  // waits a second, so an idle consumer costs one request a second and shutdown about as long.
  minBytes: 1,
  maxWaitTimeInMs: 1_000,
});

const producerBase = {
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
};

/**
 * A service's request/reply server for `app.connectMicroservice`: the apps' `@MessagePattern`
 * handlers, served by the batching transport (DESIGN: Kafka).
 */
export const serverTransport = (
  settings: KafkaSettings &
    RequestReplySettings &
    RequestSigningSettings & {
      groupId: string;
      /** Far past any caller's deadline by default (the gateway waits 10 s). */
      abandonAfterMs?: number;
      /** Where a refused request may be answered: the reply topics of the plan by default. */
      refusalReplyTopics?: readonly string[];
      onRefused?: (topic: string, reason: RefusalReason) => void;
    },
): { strategy: BatchingKafkaServer } => ({
  strategy: new BatchingKafkaServer(
    {
      client: kafkaClientConfig(settings),
      consumer: consumerBase(settings.groupId),
      // Batches of every partition are taken at once; the in-flight limit bounds the work.
      run: { partitionsConsumedConcurrently: 16 },
      // A partition the group has no offset for yet starts at its earliest request, not its
      // latest: a request sent while the group (re)joins is served, not skipped. Requests older
      // than the signature window are refused as expired, and their callers have given up.
      subscribe: { fromBeginning: true },
      producer: producerBase,
      postfixId: '',
    },
    {
      maxInFlight: settings.maxInFlight,
      commitIntervalMs: settings.commitIntervalMs,
      commitEveryMessages: 1_000,
      abandonAfterMs: settings.abandonAfterMs ?? 60_000,
      replies: requestReplyBatch(settings.lingerMs),
      signer: new RequestSigner(settings.signingKeys, settings.signatureMaxAgeMs),
      refusalReplyTopics: settings.refusalReplyTopics ?? [REPLY_TOPIC, PAYMENTS_REPLY_TOPIC],
      ...(settings.onRefused !== undefined && { onRefused: settings.onRefused }),
    },
  ),
});

/** The gateway's side: requests out, replies in on this replica's own reply partitions. */
export const clientTransport = (
  settings: KafkaSettings &
    Omit<RequestReplySettings, 'maxInFlight'> &
    Pick<RequestSigningSettings, 'signingKeys'> & {
      groupId: string;
      /** Where every reply goes; without it, Nest's `<request topic>.reply` topics. */
      replyTopic?: string;
    },
): BatchingKafkaClient =>
  new BatchingKafkaClient(
    {
      client: kafkaClientConfig(settings),
      consumer: {
        ...consumerBase(settings.groupId),
        maxBytes: 2 * MAX_REPLY_BYTES,
        maxBytesPerPartition: MAX_REPLY_BYTES,
      },
      run: { partitionsConsumedConcurrently: 16 },
      subscribe: { fromBeginning: false },
      producer: producerBase,
      postfixId: '',
    },
    {
      requests: requestReplyBatch(settings.lingerMs),
      commitIntervalMs: settings.commitIntervalMs,
      // The age limit is the verifier's; a signer only stamps the time.
      signer: new RequestSigner(settings.signingKeys, Number.POSITIVE_INFINITY),
      ...(settings.replyTopic !== undefined && { replyTopic: settings.replyTopic }),
    },
  );
