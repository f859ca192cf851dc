import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { provisionTopics } from './provision';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

describe('provisionTopics', () => {
  it('creates missing topics with their partition counts and grows short ones', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    const first = await provisionTopics(brokers, [{ topic, numPartitions: 2 }]);
    expect(first.created).toEqual([topic]);

    const again = await provisionTopics(brokers, [{ topic, numPartitions: 4 }]);
    expect(again).toEqual({ created: [], grown: [topic] });

    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(topics[0]?.partitions).toHaveLength(4);
  });

  it('sets topic configuration at creation and aligns it on later runs', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    await provisionTopics(brokers, [
      { topic, numPartitions: 1, config: { 'retention.ms': '600000' } },
    ]);
    await provisionTopics(brokers, [
      { topic, numPartitions: 1, config: { 'retention.ms': '300000' } },
    ]);

    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
    });
    await admin.disconnect();
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('300000');
  });

  it('is safe when several processes provision the same topic at once', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => provisionTopics(brokers, [{ topic, numPartitions: 3 }])),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });
});
