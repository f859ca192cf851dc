import { topicAccess, topicPlan, type AppName, type TopicPlanOptions } from '@finfusion/contracts';

/**
 * Strimzi resources generated from the topic plan, for clusters where the platform owns topics and
 * users (TOPICS_PROVISION=false): a KafkaTopic per planned topic and a KafkaUser per app whose
 * ACLs allow exactly what `topicAccess` says the app reads and writes.
 */
export interface StrimziOptions extends TopicPlanOptions {
  /** The Strimzi `Kafka` resource the topics and users belong to (label `strimzi.io/cluster`). */
  cluster: string;
  replicas: number;
  /** Prefix of the KafkaUser names (and so of the Secrets Strimzi creates for them). */
  userPrefix: string;
}

export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1beta2';

export const APPS: readonly AppName[] = ['gateway', 'payments', 'customers', 'webhook-dispatcher'];

interface Acl {
  resource: { type: 'topic' | 'group'; name: string; patternType: 'literal' | 'prefix' };
  operations: string[];
}

/** Kubernetes names take no dots: `payments.payment.events` becomes `payments-payment-events`. */
const resourceName = (topic: string): string => topic.replace(/[^a-z0-9-]/g, '-');

export function kafkaTopics(options: StrimziOptions) {
  return topicPlan(options).map((spec) => ({
    apiVersion: STRIMZI_API_VERSION,
    kind: 'KafkaTopic',
    metadata: {
      name: resourceName(spec.topic),
      labels: { 'strimzi.io/cluster': options.cluster },
    },
    spec: {
      topicName: spec.topic,
      partitions: spec.numPartitions,
      replicas: options.replicas,
      config: spec.config ?? {},
    },
  }));
}

export function kafkaUsers(options: StrimziOptions) {
  return APPS.map((app) => ({
    apiVersion: STRIMZI_API_VERSION,
    kind: 'KafkaUser',
    metadata: {
      name: `${options.userPrefix}${app}`,
      labels: { 'strimzi.io/cluster': options.cluster },
    },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: aclsOf(app) },
    },
  }));
}

/**
 * Read on what the app consumes, Write on what it produces (both imply Describe), and Read on its
 * consumer groups, which all start with its name. Nothing on the cluster: no Create, no Alter.
 */
export function aclsOf(app: AppName): Acl[] {
  const { consumes, produces } = topicAccess(app);
  const topic = (name: string, operations: string[]): Acl => ({
    resource: { type: 'topic', name, patternType: 'literal' },
    operations,
  });
  return [
    ...[...new Set(consumes)].sort().map((name) => topic(name, ['Read', 'Describe'])),
    ...[...new Set(produces)].sort().map((name) => topic(name, ['Write', 'Describe'])),
    { resource: { type: 'group', name: app, patternType: 'prefix' }, operations: ['Read'] },
  ];
}
