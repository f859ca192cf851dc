import { ConfigResourceTypes, Kafka, type Admin } from 'kafkajs';
import type { TopicSpec } from '@finfusion/contracts';
import { kafkaClientConfig } from './kafka-options';

export interface ProvisionResult {
  created: string[];
  grown: string[];
}

/**
 * Creates the topics that are missing and adds partitions where a topic has fewer than planned.
 * Safe to run from several processes at once: a topic another process created is not an error.
 */
export async function provisionTopics(
  brokers: string[],
  specs: TopicSpec[],
  replicationFactor = 1,
): Promise<ProvisionResult> {
  const admin = new Kafka(kafkaClientConfig({ brokers, clientId: 'provisioner' })).admin();
  await admin.connect();
  try {
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
    const grown = await growPartitions(
      admin,
      specs.filter((spec) => existing.has(spec.topic)),
    );
    await alignConfig(
      admin,
      specs.filter((spec) => existing.has(spec.topic) && spec.config !== undefined),
    );
    return { created: missing.map((spec) => spec.topic), grown };
  } finally {
    await admin.disconnect();
  }
}

async function growPartitions(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
  const counts = new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
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

/** Topics created by an older plan get the current settings (e.g. a shorter retention). */
async function alignConfig(admin: Admin, specs: TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await admin.alterConfigs({
    validateOnly: false,
    resources: specs.map((spec) => ({
      type: ConfigResourceTypes.TOPIC,
      name: spec.topic,
      configEntries: entries(spec.config),
    })),
  });
}
