import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { type NewEvent, type StoredEvent } from './event-store';
import { EventRelay, type RecordPublisher } from './relay';
import { useLogSchema } from './testing/log-schema.fixture';

const { dataSource, store } = useLogSchema('relay_test');

interface Record {
  key: string;
  value: string;
}

/**
 * Stands in for a Kafka producer against a topic with a record size limit, as KeyedPublisher
 * reports it (libs/kafka tests that against the broker): the records before a refused one are
 * acknowledged, the refused one and those after it are not.
 */
class SizeLimitedTopic implements RecordPublisher<Record> {
  readonly received: Record[] = [];
  attempts = 0;

  constructor(public maxRecordBytes: number) {}

  publish(_topic: string, records: Record[]): Promise<void> {
    this.attempts++;
    for (const [index, record] of records.entries()) {
      if (record.value.length > this.maxRecordBytes) {
        return Promise.reject(
          Object.assign(new Error('record too large'), { published: index, recordTooLarge: true }),
        );
      }
      this.received.push(record);
    }
    return Promise.resolve();
  }
}

const event = (n: number, bytes = 10): NewEvent => ({
  eventId: `evt_${randomUUID()}`,
  type: 'Noted',
  data: { n, padding: 'x'.repeat(bytes) },
  metadata: { merchantId: 'mer_test' },
});

const toRecord = (e: StoredEvent): Record => ({ key: e.streamId, value: JSON.stringify(e.data) });

const metric = async (name: string, label: string): Promise<number | undefined> => {
  const values = (await register.getSingleMetric(name)?.get())?.values ?? [];
  return values.find((v) => Object.values(v.labels).includes(label))?.value;
};

const waitFor = async (what: string, check: () => boolean | Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('EventRelay', () => {
  it('stops at an event the broker refuses, says so loudly, and goes on in order once it fits', async () => {
    const name = `relay-${randomUUID().slice(0, 8)}`;
    await store.append(dataSource.manager, 'a', 0, [event(1), event(2)]);
    await store.append(dataSource.manager, 'b', 0, [event(1)]);
    await store.append(dataSource.manager, 'a', 2, [event(3, 5000), event(4)]);
    await store.append(dataSource.manager, 'b', 1, [event(2)]);

    const topic = new SizeLimitedTopic(1000);
    const errors: string[] = [];
    const logger = {
      error: (_: object, msg: string) => void errors.push(msg),
      debug: () => undefined,
    };
    const relay = new EventRelay<Record>({
      name,
      topic: 'test.events',
      dataSource,
      store,
      publisher: topic,
      toRecords: (events) => events.map(toRecord),
      logger,
      retryDelayMs: 20,
      maxRetryDelayMs: 200,
      notifications: false,
    });
    await relay.start();
    try {
      await waitFor('three refused attempts', () => topic.attempts >= 4);
      // What came before the large event went out once: the checkpoint moved past it.
      const before = topic.received.map((r) => [r.key, (JSON.parse(r.value) as { n: number }).n]);
      expect(before).toEqual([
        ['a', 1],
        ['a', 2],
        ['b', 1],
      ]);
      expect(await metric('event_relay_stuck', name)).toBe(1);
      expect(errors.filter((msg) => msg.startsWith('relay stuck')).length).toBeGreaterThanOrEqual(
        3,
      );
      expect(await metric('event_subscription_consecutive_failures', name)).toBeGreaterThanOrEqual(
        3,
      );

      // The topic's limit is raised: everything else follows, in order.
      topic.maxRecordBytes = 10_000;
      await waitFor('the rest', () => topic.received.length === 6);
      const all = topic.received.map((r) => [r.key, (JSON.parse(r.value) as { n: number }).n]);
      expect(all.filter(([key]) => key === 'a')).toEqual([
        ['a', 1],
        ['a', 2],
        ['a', 3],
        ['a', 4],
      ]);
      expect(all.filter(([key]) => key === 'b')).toEqual([
        ['b', 1],
        ['b', 2],
      ]);
      await waitFor('the stuck gauge to clear', async () => {
        return (await metric('event_relay_stuck', name)) === 0;
      });
      expect(await relay.lag()).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('backs off longer after each failure in a row, up to its limit', async () => {
    const name = `relay-${randomUUID().slice(0, 8)}`;
    await store.append(dataSource.manager, `s-${name}`, 0, [event(1)]);
    const attempts: number[] = [];
    const relay = new EventRelay<Record>({
      name,
      topic: 'test.events',
      dataSource,
      store,
      publisher: {
        publish: () => {
          attempts.push(Date.now());
          return Promise.reject(new Error('broker unavailable'));
        },
      },
      toRecords: (events) => events.map(toRecord),
      logger: { error: () => undefined, debug: () => undefined },
      retryDelayMs: 50,
      maxRetryDelayMs: 400,
      notifications: false,
    });
    await relay.start();
    try {
      await waitFor('six attempts', () => attempts.length >= 6);
    } finally {
      await relay.stop();
    }
    const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? at));
    // 50, 100, 200, 400, 400 ms (and the pass itself): growing, then capped.
    expect(gaps[0]).toBeLessThan(150);
    expect(gaps[3]).toBeGreaterThanOrEqual(390);
    expect(gaps[4]).toBeLessThan(800);
  });
});
