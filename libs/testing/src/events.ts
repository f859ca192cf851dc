import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { testEnv } from './env';

export interface CollectedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The parsed JSON value; the raw string when it is not JSON; null for a tombstone. */
  value: unknown;
  headers: Record<string, string>;
}

export interface EventCollector {
  /** Everything received so far, in arrival order. */
  readonly events: readonly CollectedEvent[];
  /** The first event (already received or still to come) that matches. */
  waitFor(
    predicate: (event: CollectedEvent) => boolean,
    timeoutMs?: number,
  ): Promise<CollectedEvent>;
  stop(): Promise<void>;
}

/**
 * Collects what is published to `topic` from now on. When the promise resolves the consumer
 * owns every partition and starts at the offsets the topic had before this call, so nothing
 * produced afterwards is missed. Call `stop()` (in afterAll/afterEach) to leave the group.
 */
export async function collectEvents(topic: string): Promise<EventCollector> {
  const kafka = new Kafka({
    clientId: 'finfusion-tests',
    brokers: testEnv.kafkaBrokers,
    // Retriable errors (a coordinator still loading) are noise here; a real failure throws.
    logLevel: logLevel.NOTHING,
  });
  const groupId = `test-collector-${topic}-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  let start: { partition: number; offset: string }[];
  try {
    start = await admin.fetchTopicOffsets(topic);
    // On a broker just started, the group coordinator may still be loading, which the consumer
    // would take for a crash; the admin client waits it out.
    await admin.describeGroups([groupId]);
  } finally {
    await admin.disconnect();
  }

  const events: CollectedEvent[] = [];
  const waiters = new Set<() => void>();
  const consumer = kafka.consumer({
    groupId,
    // Short fetch waits keep stop() quick; the default would hold it for up to 5 s.
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  await consumer.connect();
  let crashed: Error | undefined;
  const removeCrashListener = consumer.on(consumer.events.CRASH, ({ payload }) => {
    crashed = payload.error;
  });
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    // run() resolves once the consumer has joined the group and received its partitions.
    await consumer.run({
      eachMessage: ({ topic: from, partition, message }) => {
        events.push({
          topic: from,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: parseValue(message.value),
          headers: headersOf(message.headers),
        });
        for (const wake of waiters) wake();
        return Promise.resolve();
      },
    });
    if (crashed) throw crashed;
    for (const { partition, offset } of start) consumer.seek({ topic, partition, offset });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  } finally {
    removeCrashListener();
  }

  let stopped = false;
  return {
    events,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.find(predicate);
          if (found === undefined) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching event on ${topic} within ${timeoutMs} ms; received ${events.length}:\n` +
                events.map((e) => JSON.stringify({ key: e.key, value: e.value })).join('\n'),
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await consumer.disconnect();
    },
  };
}

function parseValue(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}
