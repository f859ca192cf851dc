import type { Consumer } from 'kafkajs';

/**
 * Tracks whether a consumer currently holds its group membership: ready after a join, not ready
 * while rebalancing, after a crash, a stop or a disconnect.
 */
export class ConsumerReadiness {
  private ready = false;

  constructor(private readonly name: string) {}

  /** Call before `consumer.run()`, or right after it when run() has already joined the group. */
  watch(consumer: Consumer, joined = false): this {
    this.ready = joined;
    const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = consumer.events;
    consumer.on(GROUP_JOIN, () => (this.ready = true));
    for (const event of [REBALANCING, CRASH, STOP, DISCONNECT]) {
      consumer.on(event, () => (this.ready = false));
    }
    return this;
  }

  check(): { name: string; ok: boolean } {
    return { name: this.name, ok: this.ready };
  }
}
