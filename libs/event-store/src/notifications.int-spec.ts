import { randomUUID } from 'node:crypto';
import { type NewEvent } from './event-store';
import { connectionOf, eventsChannel, PgListener } from './notifications';
import { useLogSchema } from './testing/log-schema.fixture';

const { schema, dataSource, store } = useLogSchema('es_notify', 5);
const silent = { error: () => undefined, warn: () => undefined, debug: () => undefined };
const listeners: PgListener[] = [];

const event = (): NewEvent => ({
  eventId: `evt_${randomUUID()}`,
  type: 'Happened',
  data: {},
  metadata: { merchantId: 'mer_test' },
});

const newListener = (): PgListener => {
  const listener = new PgListener({
    connection: connectionOf(dataSource),
    logger: silent,
    minReconnectDelayMs: 20,
  });
  listeners.push(listener);
  return listener;
};

/** Counts the wake-ups of one waiter. */
const waiter = () => {
  const counter = {
    wakes: 0,
    wake: () => {
      counter.wakes++;
    },
  };
  return counter;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` holds; fails after a generous while. */
async function eventually(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
    await sleep(20);
  }
}

const backendAlive = async (pid: number): Promise<boolean> => {
  const rows = await dataSource.query<unknown[]>('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [
    pid,
  ]);
  return rows.length > 0;
};

beforeAll(async () => {
  await markSleeping(true);
});

/** Appends notify only while a subscription of the log is marked sleeping (subscription.ts). */
async function markSleeping(sleeping: boolean): Promise<void> {
  await dataSource.query(
    `INSERT INTO "${schema}".checkpoints (subscription_id, sleeping_until)
     VALUES ('listener-test', CASE WHEN $1 THEN now() + interval '1 hour' END)
     ON CONFLICT (subscription_id) DO UPDATE SET sleeping_until = EXCLUDED.sleeping_until`,
    [sleeping],
  );
}

afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close();
});

describe('PgListener', () => {
  it('wakes a waiter when another connection commits an append, and not before the commit', async () => {
    const counter = waiter();
    await newListener().listen(eventsChannel(schema), counter.wake);

    const writer = dataSource.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      await store.append(writer.manager, `s_${randomUUID()}`, 0, [event()]);
      // Postgres holds the notification until the commit: nothing may arrive meanwhile.
      await sleep(300);
      expect(counter.wakes).toBe(0);

      await writer.commitTransaction();
      await eventually(() => counter.wakes > 0, 'a wake-up after the commit');
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
  });

  it('wakes once for a transaction of several appends, and never for one that rolled back', async () => {
    const counter = waiter();
    await newListener().listen(eventsChannel(schema), counter.wake);

    await expect(
      dataSource.transaction(async (manager) => {
        await store.append(manager, `s_${randomUUID()}`, 0, [event()]);
        throw new Error('the request failed after its append');
      }),
    ).rejects.toThrow('after its append');
    await dataSource.transaction(async (manager) => {
      await store.append(manager, `s_${randomUUID()}`, 0, [event(), event()]);
      await store.append(manager, `s_${randomUUID()}`, 0, [event()]);
    });

    await eventually(() => counter.wakes > 0, 'a wake-up after the commit');
    // A second one would have left with the first, at the same commit.
    await sleep(200);
    expect(counter.wakes).toBe(1);
  });

  it('notifies nobody while no subscription of the log sleeps, and again once one does', async () => {
    const counter = waiter();
    await newListener().listen(eventsChannel(schema), counter.wake);
    await markSleeping(false);
    try {
      await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event()]);
      await sleep(300);
      expect(counter.wakes).toBe(0);
    } finally {
      await markSleeping(true);
    }
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event()]);
    await eventually(() => counter.wakes > 0, 'a wake-up once a subscription sleeps');
  });

  it('wakes only the waiters of the channel that was notified', async () => {
    const listener = newListener();
    const ours = waiter();
    const others = waiter();
    await listener.listen(eventsChannel(schema), ours.wake);
    await listener.listen(eventsChannel(`${schema}_other`), others.wake);

    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event()]);

    await eventually(() => ours.wakes > 0, 'the wake-up of the notified channel');
    await sleep(200);
    expect(others.wakes).toBe(0);
  });

  it('stops waking a waiter that stopped listening, and keeps waking the others', async () => {
    const listener = newListener();
    const leaving = waiter();
    const staying = waiter();
    const stop = await listener.listen(eventsChannel(schema), leaving.wake);
    await listener.listen(eventsChannel(schema), staying.wake);
    await stop();

    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event()]);

    await eventually(() => staying.wakes > 0, 'the remaining waiter to wake');
    expect(leaving.wakes).toBe(0);
  });

  it('reconnects after its backend is terminated, wakes every waiter, and listens again', async () => {
    const listener = newListener();
    const first = waiter();
    const second = waiter();
    await listener.listen(eventsChannel(schema), first.wake);
    await listener.listen(eventsChannel(schema), second.wake);
    const before = listener.backendPid;
    if (before === undefined) throw new Error('the listener is not connected');

    await dataSource.query('SELECT pg_terminate_backend($1)', [before]);

    // Notifications sent while it was away are lost, so the reconnect itself wakes everyone.
    await eventually(() => first.wakes > 0 && second.wakes > 0, 'the wake-ups after reconnecting');
    const after = listener.backendPid;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await backendAlive(before)).toBe(false);

    const woken = first.wakes;
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event()]);
    await eventually(() => first.wakes > woken, 'a wake-up on the new connection');
  });

  it('closes its connection once nobody listens', async () => {
    const listener = newListener();
    const stop = await listener.listen(eventsChannel(schema), waiter().wake);
    const pid = listener.backendPid;
    if (pid === undefined) throw new Error('the listener is not connected');

    await stop();

    expect(listener.backendPid).toBeUndefined();
    await eventually(async () => !(await backendAlive(pid)), 'the backend to end');
  });
});
