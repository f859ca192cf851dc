import { ConfigResourceTypes, ConfigSource, Kafka, type Admin, type ConfigEntries } from 'kafkajs';
import type { TopicSpec } from '@finfusion/contracts';
import { kafkaClientConfig, type KafkaConnection } from './kafka-options';

export interface ProvisionResult {
  created: string[];
  grown: string[];
  /** Topics whose planned settings differed and were set. */
  aligned: string[];
}

/**
 * Creates the topics that are missing, adds partitions where a topic has fewer than planned, and
 * brings the planned settings of existing topics in line, leaving every other setting as it is.
 * Safe to run from several processes at once: a topic another process created is not an error.
 */
export async function provisionTopics(
  connection: KafkaConnection,
  specs: TopicSpec[],
  replicationFactor = 1,
): Promise<ProvisionResult> {
  return withAdmin(connection, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, numPartitions, config }) => ({
          topic,
          numPartitions,
          replicationFactor,
          configEntries: entries(config),
        })),
      });
    }
    const present = specs.filter((spec) => existing.has(spec.topic));
    const grown = await growPartitions(admin, present);
    const aligned = await alignConfig(
      admin,
      present.filter((spec) => spec.config !== undefined),
    );
    return { created: missing.map((spec) => spec.topic), grown, aligned };
  });
}

/** What a deployment without provisioning lacks: topics absent or with fewer partitions. */
export interface TopicCheck {
  missing: string[];
  short: { topic: string; partitions: number; planned: number }[];
}

/**
 * Checks, with Describe rights only, that the planned topics exist with their partitions: for
 * deployments where topics come from the platform (TOPICS_PROVISION=false).
 */
export async function checkTopics(
  connection: KafkaConnection,
  specs: TopicSpec[],
): Promise<TopicCheck> {
  return withAdmin(connection, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic)).map((spec) => spec.topic);
    const present = specs.filter((spec) => existing.has(spec.topic));
    const counts = await partitionCounts(admin, present);
    const short = present
      .map((spec) => ({
        topic: spec.topic,
        partitions: counts.get(spec.topic) ?? 0,
        planned: spec.numPartitions,
      }))
      .filter((topic) => topic.partitions < topic.planned);
    return { missing, short };
  });
}

async function withAdmin<T>(
  connection: KafkaConnection,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = new Kafka(kafkaClientConfig({ ...connection, clientId: 'provisioner' })).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

async function partitionCounts(admin: Admin, specs: TopicSpec[]): Promise<Map<string, number>> {
  if (specs.length === 0) return new Map();
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
  return new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
}

async function growPartitions(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const counts = await partitionCounts(admin, specs);
  const short = specs.filter((spec) => (counts.get(spec.topic) ?? 0) < spec.numPartitions);
  if (short.length > 0) {
    await admin.createPartitions({
      topicPartitions: short.map(({ topic, numPartitions }) => ({ topic, count: numPartitions })),
    });
  }
  return short.map((spec) => spec.topic);
}

const entries = (config: Record<string, string> | undefined) =>
  Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));

/**
 * Sets the planned settings that differ, one topic at a time, keeping the topic's other
 * settings. Kafka's AlterConfigs (the only config call kafkajs offers) replaces a topic's whole
 * set, so the settings already made on the topic are read first and sent back with the planned
 * ones. A topic holding a sensitive setting (its value is never described) is not altered, as
 * that would erase it: the error names it.
 */
async function alignConfig(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.topic })),
  });
  const described = new Map(resources.map((r) => [r.resourceName, r.configEntries]));
  const changes = specs.flatMap((spec) => {
    const current = described.get(spec.topic) ?? [];
    const next = mergedSettings(spec.topic, current, spec.config ?? {});
    return next === undefined ? [] : [{ topic: spec.topic, next }];
  });
  if (changes.length === 0) return [];
  await admin.alterConfigs({
    validateOnly: false,
    resources: changes.map(({ topic, next }) => ({
      type: ConfigResourceTypes.TOPIC,
      name: topic,
      configEntries: entries(next),
    })),
  });
  return changes.map((change) => change.topic);
}

/**
 * The topic's own settings with the planned ones over them, or undefined when every planned
 * setting already has its value.
 */
export function mergedSettings(
  topic: string,
  current: Pick<ConfigEntries, 'configName' | 'configValue' | 'configSource' | 'isSensitive'>[],
  planned: Record<string, string>,
): Record<string, string> | undefined {
  const value = new Map(current.map((entry) => [entry.configName, entry.configValue]));
  if (Object.entries(planned).every(([name, wanted]) => value.get(name) === wanted)) {
    return undefined;
  }
  const own = current.filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG);
  const hidden = own.filter((entry) => entry.isSensitive).map((entry) => entry.configName);
  if (hidden.length > 0) {
    throw new Error(
      `topic ${topic}: its sensitive settings (${hidden.join(', ')}) cannot be read back, so ` +
        'its planned settings are not applied; set them by hand or with TOPICS_PROVISION=false',
    );
  }
  return {
    ...Object.fromEntries(own.map((entry) => [entry.configName, entry.configValue])),
    ...planned,
  };
}
