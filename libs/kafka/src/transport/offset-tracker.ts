/**
 * Which offsets may be committed while messages of a partition are handled concurrently: an
 * offset is committable once every message before it on its partition is done, so a commit never
 * skips a message that is still being handled (at least once).
 */
export class OffsetTracker {
  private partitions = new Map<string, PartitionState>();
  private generation = 0;
  private doneSinceCommit = 0;

  /** Records that a message is being handled; call the returned function once it is done. */
  begin(topic: string, partition: number, offset: string): () => void {
    const key = keyOf(topic, partition);
    let state = this.partitions.get(key);
    if (!state) {
      state = { topic, partition, pending: [], committable: undefined, committed: undefined };
      this.partitions.set(key, state);
    }
    const entry = { offset: BigInt(offset), done: false };
    state.pending.push(entry);
    const generation = this.generation;
    let settled = false;
    return () => {
      if (settled || generation !== this.generation) return;
      settled = true;
      entry.done = true;
      this.doneSinceCommit++;
      advance(state);
    };
  }

  /**
   * Forgets every partition: after a rebalance the consumer fetches again from the committed
   * offsets, so what was in flight before it is handled again and must not be committed.
   */
  reset(): void {
    this.generation++;
    this.partitions.clear();
    this.doneSinceCommit = 0;
  }

  /** Messages done since the last `markCommitted`. */
  get uncommittedCount(): number {
    return this.doneSinceCommit;
  }

  /** The next offset to commit per partition, for partitions that moved since their last commit. */
  committable(): { topic: string; partition: number; offset: string }[] {
    const offsets = [];
    for (const state of this.partitions.values()) {
      if (state.committable !== undefined && state.committable !== state.committed) {
        offsets.push({
          topic: state.topic,
          partition: state.partition,
          offset: state.committable.toString(),
        });
      }
    }
    return offsets;
  }

  markCommitted(offsets: { topic: string; partition: number; offset: string }[]): void {
    for (const { topic, partition, offset } of offsets) {
      const state = this.partitions.get(keyOf(topic, partition));
      if (state) state.committed = BigInt(offset);
    }
    this.doneSinceCommit = 0;
  }
}

interface PartitionState {
  topic: string;
  partition: number;
  /** In fetch order, so in offset order. */
  pending: { offset: bigint; done: boolean }[];
  committable: bigint | undefined;
  committed: bigint | undefined;
}

function advance(state: PartitionState): void {
  let head = 0;
  while (head < state.pending.length && state.pending[head]?.done === true) head++;
  if (head === 0) return;
  const last = state.pending[head - 1];
  if (last) state.committable = last.offset + 1n;
  state.pending.splice(0, head);
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
