import type { Consumer } from 'kafkajs';
import { OffsetTracker } from './offset-tracker';

export interface OffsetCommitterOptions {
  intervalMs: number;
  /** Commit early once this many messages were done since the last commit. */
  everyMessages: number;
  onError: (error: unknown) => void;
}

/**
 * Commits a consumer's offsets on an interval (or a count), never past a message still being
 * handled. A rebalance makes the consumer fetch again from its last commit, so what was in flight
 * is forgotten then, and what was done is committed first where the group still allows it.
 */
export class OffsetCommitter {
  private readonly tracker = new OffsetTracker();
  private readonly timer: NodeJS.Timeout;
  private committing: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: OffsetCommitterOptions,
  ) {
    this.timer = setInterval(() => void this.commit(), options.intervalMs);
    this.timer.unref();
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.tracker.reset();
    });
  }

  /** Call when a message's handling starts; call the returned function when it is done. */
  begin(topic: string, partition: number, offset: string): () => void {
    const done = this.tracker.begin(topic, partition, offset);
    return () => {
      done();
      if (this.tracker.uncommittedCount >= this.options.everyMessages) void this.commit();
    };
  }

  /** Commits what is committable now; one commit at a time. */
  commit(): Promise<void> {
    this.committing ??= this.commitOnce().finally(() => (this.committing = undefined));
    return this.committing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.committing;
    await this.commit();
  }

  private async commitOnce(): Promise<void> {
    const offsets = this.tracker.committable();
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets);
      this.tracker.markCommitted(offsets);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
