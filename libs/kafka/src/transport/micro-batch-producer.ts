import { CompressionTypes, type Message, type Producer } from 'kafkajs';

export interface MicroBatchOptions {
  /** How long a record waits for others before its request goes out; 0: the same tick only. */
  lingerMs: number;
  /** -1 waits for every in-sync replica, 1 for the partition leader only. */
  acks: -1 | 1;
  /** A produce request carries at most this many bytes of record values (larger ones go alone). */
  maxBatchBytes: number;
  /** Records at least this large are gzip-compressed, in requests of their own. */
  compressFromBytes: number;
}

interface Queued {
  topic: string;
  message: Message;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Refusals that belong to one record of a request, not to the request or the broker. */
const RECORD_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

/**
 * Sends the records queued within one linger as one produce request, so a thousand replies a
 * second cost tens of requests, not a thousand. Each caller still learns the fate of its own
 * record: when the broker refuses one record of a request, the others are sent again without it.
 */
export class MicroBatchProducer {
  private queue: Queued[] = [];
  private timer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly producer: Producer,
    private readonly options: MicroBatchOptions,
  ) {}

  send(topic: string, message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, message, bytes: sizeOf(message), resolve, reject });
      this.timer ??=
        this.options.lingerMs > 0
          ? setTimeout(() => {
              this.flush();
            }, this.options.lingerMs)
          : setImmediate(() => {
              this.flush();
            });
    });
  }

  /** Sends what is queued now. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    const queued = this.queue;
    this.queue = [];
    const { compressFromBytes } = this.options;
    for (const group of chunk(
      queued.filter((q) => q.bytes < compressFromBytes),
      this.options.maxBatchBytes,
    )) {
      this.track(this.sendGroup(group, CompressionTypes.None));
    }
    for (const large of queued.filter((q) => q.bytes >= compressFromBytes)) {
      this.track(this.sendGroup([large], CompressionTypes.GZIP));
    }
  }

  /** Resolves once everything queued so far has been sent or has failed. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.sending]);
  }

  private track(sending: Promise<void>): void {
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  private async sendGroup(group: Queued[], compression: CompressionTypes): Promise<void> {
    try {
      await this.producer.sendBatch({
        acks: this.options.acks,
        compression,
        topicMessages: byTopic(group),
      });
      for (const queued of group) queued.resolve();
    } catch (error) {
      if (group.length > 1 && isRecordRefusal(error)) {
        await Promise.all(group.map((queued) => this.sendGroup([queued], compression)));
        return;
      }
      for (const queued of group) queued.reject(error);
    }
  }
}

export function isRecordRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && RECORD_REFUSALS.has(type)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const sizeOf = (message: Message): number =>
  message.value === null
    ? 0
    : typeof message.value === 'string'
      ? Buffer.byteLength(message.value)
      : message.value.length;

function chunk(queued: Queued[], maxBytes: number): Queued[][] {
  const groups: Queued[][] = [];
  let current: Queued[] = [];
  let bytes = 0;
  for (const q of queued) {
    if (current.length > 0 && bytes + q.bytes > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(q);
    bytes += q.bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function byTopic(group: Queued[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of group) {
    const messages = topics.get(topic);
    if (messages) messages.push(message);
    else topics.set(topic, [message]);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
