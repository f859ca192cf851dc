import { createRequire } from 'node:module';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}

const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue') as new (
  options: object,
) => Queue;

const queue = (): Queue =>
  new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: { debug: () => undefined, namespace: () => ({ debug: () => undefined }) },
    isConnected: () => true,
  });

describe("kafkajs' request queue timer", () => {
  beforeAll(() => {
    fixKafkajsIdleTimer();
  });

  it('sets no timer when nothing waits and nothing is throttled', () => {
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks again while requests wait or a throttle runs', () => {
    const waiting = queue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 1000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();

    for (const q of [waiting, throttled]) {
      clearTimeout(q.throttleCheckTimeoutId ?? undefined);
      q.pending.length = 0;
    }
  });
});
