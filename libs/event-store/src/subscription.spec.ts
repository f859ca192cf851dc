import type { DataSource } from 'typeorm';
import type { EventStore, StoredEvent } from './event-store';
import type { NotificationSource } from './notifications';
import { LogSubscription } from './subscription';

const TEN_MINUTES = 10 * 60 * 1000;
const silent = { error: () => undefined, debug: () => undefined };

const stored = (position: number): StoredEvent => ({
  globalPosition: String(position),
  transactionId: String(1000 + position),
  streamId: `s_${position}`,
  streamVersion: 1,
  eventId: `evt_${position}`,
  type: 'Happened',
  schemaVersion: 1,
  data: {},
  metadata: { merchantId: 'mer_test' },
  recordedAt: new Date(0),
});

interface FakeLog {
  /** What each pass reads, in turn; an empty batch once the script runs out. */
  reads: (StoredEvent[] | (() => Promise<StoredEvent[]>))[];
  /** Whether each short pass finds events held back, in turn; false once it runs out. */
  heldBack?: boolean[];
}

/** A log without a database: passes read what the script says; every pass gets the lock. */
function subscribe(
  log: FakeLog,
  options: { batchSize?: number; retryDelayMs?: number; marks?: boolean[] } = {},
) {
  const passes = { count: 0 };
  const handled: StoredEvent[][] = [];
  const manager = {
    query: (sql: string) =>
      Promise.resolve(sql.includes('pg_try_advisory_xact_lock') ? [{ locked: true }] : []),
  };
  const dataSource = {
    manager,
    transaction: (work: (m: typeof manager) => Promise<unknown>) => work(manager),
    // Only the sleeping mark is written outside a pass.
    query: (_sql: string, params: [string, boolean, number]) => {
      options.marks?.push(params[1]);
      return Promise.resolve([]);
    },
  } as unknown as DataSource;
  const notifications: NotificationSource = {
    listen: () => Promise.resolve(() => Promise.resolve()),
  };
  const heldBack = [...(log.heldBack ?? [])];
  const store = {
    schema: 'fake',
    readAllAfter: () => {
      passes.count++;
      const read = log.reads.shift() ?? [];
      return typeof read === 'function' ? read() : Promise.resolve(read);
    },
    heldBackAfter: () => Promise.resolve(heldBack.shift() ?? false),
    countAfter: () => Promise.resolve(0),
    onCommittedAppend: () => () => true,
  } as unknown as EventStore;
  const subscription = new LogSubscription({
    name: 'fake',
    dataSource,
    store,
    logger: silent,
    notifications: options.marks ? notifications : false,
    pollIntervalMs: TEN_MINUTES,
    batchSize: options.batchSize,
    retryDelayMs: options.retryDelayMs,
    handle: (events) => {
      handled.push(events);
      return Promise.resolve();
    },
  });
  return { subscription, passes, handled };
}

const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('not reached within 5 s');
    await sleep(5);
  }
}

describe('LogSubscription scheduling', () => {
  let running: LogSubscription | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('makes exactly one more pass for any number of wake-ups during a pass', async () => {
    const second = gate();
    const { subscription, passes } = subscribe({
      reads: [[], () => second.opened.then(() => [])],
    });
    running = subscription;
    subscription.start();
    await eventually(() => passes.count === 2);

    subscription.wake();
    subscription.wake();
    subscription.wake();
    second.open();

    await eventually(() => passes.count === 3);
    await sleep(100);
    expect(passes.count).toBe(3);
  });

  it('reads the next batch at once after a full one, soon after a short one, then sleeps', async () => {
    const { subscription, passes, handled } = subscribe(
      { reads: [[stored(1), stored(2)], [stored(3), stored(4)], [stored(5)]] },
      { batchSize: 2 },
    );
    running = subscription;
    subscription.start();

    // Three passes with events, one that finds none and marks it sleeping, one more look.
    await eventually(() => passes.count === 5);
    await sleep(100);
    expect(passes.count).toBe(5);
    expect(handled.map((batch) => batch.map((e) => e.globalPosition))).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5'],
    ]);
  });

  it('looks again soon, unwoken, while committed events are held back, then sleeps', async () => {
    const { subscription, passes } = subscribe({ reads: [], heldBack: [true, true, true] });
    running = subscription;
    subscription.start();

    await eventually(() => passes.count === 5);
    await sleep(100);
    expect(passes.count).toBe(5);
  });

  it('sleeps until its poll once caught up, and a wake-up ends the sleep', async () => {
    const { subscription, passes } = subscribe({ reads: [] });
    running = subscription;
    subscription.start();
    await eventually(() => passes.count === 2);
    await sleep(100);
    expect(passes.count).toBe(2);

    subscription.wake();

    await eventually(() => passes.count === 3);
  });

  it('marks itself sleeping only once caught up, and awake again when events come', async () => {
    const marks: boolean[] = [];
    const second = gate();
    const { subscription, passes } = subscribe(
      { reads: [[stored(1)], [], [], () => second.opened.then(() => [stored(2)])] },
      { marks },
    );
    running = subscription;
    subscription.start();
    // One pass with an event, one that finds none and marks it sleeping, one more look.
    await eventually(() => passes.count === 3);
    await sleep(50);
    expect(marks).toEqual([true, true]);

    subscription.wake();
    second.open();
    await eventually(() => marks.length === 5);
    expect(marks).toEqual([true, true, false, true, true]);
  });

  it('lets no wake-up cut short the back-off after a failed pass, but stops at once', async () => {
    const { subscription, passes } = subscribe(
      { reads: [() => Promise.reject(new Error('database gone'))] },
      { retryDelayMs: TEN_MINUTES },
    );
    subscription.start();
    await eventually(() => passes.count === 1);

    subscription.wake();
    await sleep(100);
    expect(passes.count).toBe(1);

    await subscription.stop();
  });

  it('stops only once the pass in flight is done', async () => {
    const first = gate();
    const { subscription, passes, handled } = subscribe({
      reads: [() => first.opened.then(() => [stored(1)])],
    });
    subscription.start();
    await eventually(() => passes.count === 1);

    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);

    first.open();
    await stopping;
    expect(handled).toHaveLength(1);
  });
});
