import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { checkTopics, provisionTopics } from './provision';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

async function settingsOf(topic: string, names: string[]): Promise<Record<string, string>> {
  const described = await withAdmin((admin) =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: names }],
    }),
  );
  return Object.fromEntries(
    (described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
  );
}

describe('provisionTopics', () => {
  it('creates missing topics with their partition counts and grows short ones', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    const first = await provisionTopics({ brokers }, [{ topic, numPartitions: 2 }]);
    expect(first.created).toEqual([topic]);

    const again = await provisionTopics({ brokers }, [{ topic, numPartitions: 4 }]);
    expect(again).toEqual({ created: [], grown: [topic], aligned: [] });

    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(topics[0]?.partitions).toHaveLength(4);
  });

  it('sets topic configuration at creation, aligns it later, and keeps settings it does not plan', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    await provisionTopics({ brokers }, [
      { topic, numPartitions: 1, config: { 'retention.ms': '600000' } },
    ]);
    // An operator's own setting, which the plan does not name.
    await withAdmin((admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [
              { name: 'retention.ms', value: '600000' },
              { name: 'segment.ms', value: '3600000' },
            ],
          },
        ],
      }),
    );

    const changed = await provisionTopics({ brokers }, [
      { topic, numPartitions: 1, config: { 'retention.ms': '300000' } },
    ]);
    expect(changed.aligned).toEqual([topic]);
    expect(await settingsOf(topic, ['retention.ms', 'segment.ms'])).toEqual({
      'retention.ms': '300000',
      'segment.ms': '3600000',
    });

    // Nothing to change: no alter at all.
    const unchanged = await provisionTopics({ brokers }, [
      { topic, numPartitions: 1, config: { 'retention.ms': '300000' } },
    ]);
    expect(unchanged.aligned).toEqual([]);
  });

  it('checks, without creating anything, that the planned topics exist with their partitions', async () => {
    const present = `test.provision-${randomUUID().slice(0, 8)}`;
    const absent = `test.provision-${randomUUID().slice(0, 8)}`;
    await provisionTopics({ brokers }, [{ topic: present, numPartitions: 1 }]);

    const check = await checkTopics({ brokers }, [
      { topic: present, numPartitions: 3 },
      { topic: absent, numPartitions: 1 },
    ]);
    expect(check).toEqual({
      missing: [absent],
      short: [{ topic: present, partitions: 1, planned: 3 }],
    });
    expect(await withAdmin((admin) => admin.listTopics())).not.toContain(absent);
  });

  it('is safe when several processes provision the same topic at once', async () => {
    const topic = `test.provision-${randomUUID().slice(0, 8)}`;
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => provisionTopics({ brokers }, [{ topic, numPartitions: 3 }])),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });
});
