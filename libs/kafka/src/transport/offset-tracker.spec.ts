import { OffsetTracker } from './offset-tracker';

const topic = 'payments.create';

/** Starts `offsets` on one partition and returns their completion functions by offset. */
function startAll(tracker: OffsetTracker, partition: number, offsets: number[]) {
  return new Map(
    offsets.map((offset) => [offset, tracker.begin(topic, partition, String(offset))]),
  );
}

describe('OffsetTracker', () => {
  it('makes an offset committable only once every earlier message of its partition is done', () => {
    const tracker = new OffsetTracker();
    const done = startAll(tracker, 0, [10, 11, 12]);

    done.get(12)!();
    done.get(11)!();
    expect(tracker.committable()).toEqual([]);

    done.get(10)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '13' }]);
  });

  it('never commits past a message still being handled', () => {
    const tracker = new OffsetTracker();
    const done = startAll(tracker, 0, [0, 1, 2, 3, 4]);

    for (const offset of [4, 0, 3, 1]) done.get(offset)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '2' }]);

    done.get(2)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '5' }]);
  });

  it('offers only the partitions that moved since their last commit', () => {
    const tracker = new OffsetTracker();
    const first = startAll(tracker, 0, [0, 1]);
    const second = startAll(tracker, 1, [7]);

    first.get(0)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '1' }]);
    tracker.markCommitted(tracker.committable());
    expect(tracker.committable()).toEqual([]);

    second.get(7)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 1, offset: '8' }]);
    tracker.markCommitted(tracker.committable());

    first.get(1)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '2' }]);
  });

  it('counts the messages done since the last commit, each once', () => {
    const tracker = new OffsetTracker();
    const done = startAll(tracker, 0, [0, 1, 2]);

    done.get(1)!();
    done.get(1)!();
    done.get(2)!();
    expect(tracker.uncommittedCount).toBe(2);

    tracker.markCommitted(tracker.committable());
    expect(tracker.uncommittedCount).toBe(0);
  });

  it('ignores completions of messages started before a reset', () => {
    const tracker = new OffsetTracker();
    const before = startAll(tracker, 0, [5, 6]);

    tracker.reset();
    // The rebalance hands the partition back from its last commit: 5 and 6 come again.
    const again = startAll(tracker, 0, [5, 6]);
    before.get(5)!();
    before.get(6)!();
    expect(tracker.committable()).toEqual([]);
    expect(tracker.uncommittedCount).toBe(0);

    again.get(5)!();
    expect(tracker.committable()).toEqual([{ topic, partition: 0, offset: '6' }]);
  });

  it('forgets after a reset what was done but not yet committed', () => {
    const tracker = new OffsetTracker();
    startAll(tracker, 0, [3]).get(3)!();
    expect(tracker.committable()).toHaveLength(1);

    tracker.reset();
    expect(tracker.committable()).toEqual([]);
  });
});
