import type { Consumer } from 'kafkajs';
import { OffsetCommitter } from './offset-committer';

type Offsets = { topic: string; partition: number; offset: string }[];

/** The consumer calls the committer uses: event listeners and `commitOffsets`, recorded. */
class FakeConsumer {
  readonly events = { REBALANCING: 'rebalancing', GROUP_JOIN: 'group_join' } as const;
  readonly commits: Offsets[] = [];
  failNextCommit: Error | undefined;
  private readonly listeners = new Map<string, (() => void)[]>();

  on(event: string, listener: () => void): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }

  emit(event: string): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }

  commitOffsets(offsets: Offsets): Promise<void> {
    const failure = this.failNextCommit;
    this.failNextCommit = undefined;
    if (failure) return Promise.reject(failure);
    this.commits.push(offsets);
    return Promise.resolve();
  }

  asConsumer(): Consumer {
    return this as unknown as Consumer;
  }
}

const intervalMs = 100;
const topic = 'customers.create';

describe('OffsetCommitter', () => {
  let consumer: FakeConsumer;
  let errors: unknown[];
  let committer: OffsetCommitter;

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    consumer = new FakeConsumer();
    errors = [];
    committer = new OffsetCommitter(consumer.asConsumer(), {
      intervalMs,
      everyMessages: 3,
      onError: (error) => errors.push(error),
    });
  });

  afterEach(async () => {
    await committer.stop();
    jest.useRealTimers();
  });

  /** Lets the interval fire and the commit it starts finish. */
  const nextInterval = () => jest.advanceTimersByTimeAsync(intervalMs);

  it('commits on the interval, only below messages still being handled', async () => {
    const first = committer.begin(topic, 0, '0');
    committer.begin(topic, 0, '1');
    const third = committer.begin(topic, 0, '2');
    first();
    third();
    await jest.advanceTimersByTimeAsync(0);
    expect(consumer.commits).toEqual([]);

    await nextInterval();
    expect(consumer.commits).toEqual([[{ topic, partition: 0, offset: '1' }]]);

    await nextInterval();
    expect(consumer.commits).toHaveLength(1);
  });

  it('commits early once enough messages are done since the last commit', async () => {
    const done = ['0', '1', '2'].map((offset) => committer.begin(topic, 1, offset));
    for (const finish of done) finish();
    await jest.advanceTimersByTimeAsync(0);

    expect(consumer.commits).toEqual([[{ topic, partition: 1, offset: '3' }]]);
  });

  it('commits what is done when a rebalance starts', async () => {
    committer.begin(topic, 0, '4')();

    consumer.emit(consumer.events.REBALANCING);
    await jest.advanceTimersByTimeAsync(0);

    expect(consumer.commits).toEqual([[{ topic, partition: 0, offset: '5' }]]);
  });

  it('does not commit completions of messages fetched before the group was joined again', async () => {
    const before = committer.begin(topic, 0, '7');

    consumer.emit(consumer.events.GROUP_JOIN);
    before();
    await nextInterval();

    expect(consumer.commits).toEqual([]);
  });

  it('reports a failed commit and commits the same offsets at the next interval', async () => {
    const failure = new Error('REBALANCE_IN_PROGRESS');
    consumer.failNextCommit = failure;
    committer.begin(topic, 0, '0')();

    await nextInterval();
    expect(errors).toEqual([failure]);
    expect(consumer.commits).toEqual([]);

    await nextInterval();
    expect(consumer.commits).toEqual([[{ topic, partition: 0, offset: '1' }]]);
  });

  it('commits what is done when stopped, and nothing after', async () => {
    committer.begin(topic, 2, '10')();

    await committer.stop();
    expect(consumer.commits).toEqual([[{ topic, partition: 2, offset: '11' }]]);

    committer.begin(topic, 2, '11')();
    await nextInterval();
    expect(consumer.commits).toHaveLength(1);
  });
});
