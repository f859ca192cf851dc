import { randomUUID } from 'node:crypto';
import { ConcurrencyError, EventStore, START_OF_LOG, type NewEvent } from './event-store';
import { useLogSchema } from './testing/log-schema.fixture';
import { LogSubscription } from './subscription';

const { schema, dataSource, store } = useLogSchema('es_test', 20);
const silent = { error: () => undefined, debug: () => undefined };

const event = (type: string, data: object = {}): NewEvent => ({
  eventId: `evt_${randomUUID()}`,
  type,
  data,
  metadata: { merchantId: 'mer_test' },
});

describe('EventStore', () => {
  it('appends events at the next versions and reads the stream back in order', async () => {
    const stream = `s_${randomUUID()}`;
    await store.append(dataSource.manager, stream, 0, [event('Opened'), event('Renamed')]);
    await store.append(dataSource.manager, stream, 2, [event('Closed', { reason: 'done' })]);

    const events = await store.readStream(dataSource.manager, stream);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'Opened'],
      [2, 'Renamed'],
      [3, 'Closed'],
    ]);
    expect(events[2]?.data).toEqual({ reason: 'done' });
    expect(events[0]?.metadata).toEqual({ merchantId: 'mer_test' });
  });

  it('rejects a second append at the same expected version', async () => {
    const stream = `s_${randomUUID()}`;
    await store.append(dataSource.manager, stream, 0, [event('Opened')]);
    await expect(store.append(dataSource.manager, stream, 0, [event('Opened')])).rejects.toThrow(
      ConcurrencyError,
    );
  });

  it('rejects an expected version ahead of the stream without writing', async () => {
    const stream = `s_${randomUUID()}`;
    await expect(store.append(dataSource.manager, stream, 3, [event('Opened')])).rejects.toThrow(
      ConcurrencyError,
    );
    expect(await store.readStream(dataSource.manager, stream)).toHaveLength(0);
  });

  it('lets exactly one of many concurrent writers at one expected version win', async () => {
    const stream = `s_${randomUUID()}`;
    await store.append(dataSource.manager, stream, 0, [event('Opened')]);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        dataSource.transaction((manager) =>
          store.append(manager, stream, 1, [event('Changed', { writer: i })]),
        ),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(dataSource.manager, stream)).toHaveLength(2);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log', async () => {
    const stream = `s_${randomUUID()}`;
    await store.append(dataSource.manager, stream, 0, [event('Opened')]);
    await expect(
      dataSource.query(`UPDATE "${schema}".events SET event_type = 'X' WHERE stream_id = $1`, [
        stream,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      dataSource.query(`DELETE FROM "${schema}".events WHERE stream_id = $1`, [stream]),
    ).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE "${schema}".events`)).rejects.toThrow(/append-only/);
    expect(await store.readStream(dataSource.manager, stream)).toHaveLength(1);
  });

  it('does not read past a transaction that commits after a later position', async () => {
    const checkpoint = await latestCheckpoint();
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await store.append(slow.manager, `slow_${randomUUID()}`, 0, [event('Slow')]);
      await store.append(dataSource.manager, `fast_${randomUUID()}`, 0, [event('Fast')]);

      // The fast event has the later position but committed first: it must wait for the slow one.
      expect(await store.readAllAfter(dataSource.manager, checkpoint, 100)).toEqual([]);

      await slow.commitTransaction();
      const types = (await store.readAllAfter(dataSource.manager, checkpoint, 100)).map(
        (e) => e.type,
      );
      expect(types).toEqual(['Slow', 'Fast']);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });
});

describe('LogSubscription', () => {
  it('handles every committed event once and resumes from its stored checkpoint', async () => {
    const name = `sub_${randomUUID()}`;
    const seen: string[] = [];
    const make = () =>
      new LogSubscription({
        name,
        dataSource,
        store,
        logger: silent,
        batchSize: 2,
        handle: (events) => {
          seen.push(...events.map((e) => e.eventId));
          return Promise.resolve();
        },
      });
    const before = await store.readAllAfter(dataSource.manager, START_OF_LOG, 100_000);
    const appended = [event('A'), event('B'), event('C')];
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, appended);

    await make().catchUp();
    const firstPass = seen.length;
    expect(seen.slice(before.length)).toEqual(appended.map((e) => e.eventId));

    await make().catchUp();
    expect(seen).toHaveLength(firstPass);
    expect(await make().lag()).toBe(0);
  });

  it('stores no checkpoint when the handler fails, so the batch is handled again', async () => {
    const name = `sub_${randomUUID()}`;
    let fail = true;
    const handled: string[] = [];
    const subscription = new LogSubscription({
      name,
      dataSource,
      store,
      logger: silent,
      handle: (events) => {
        if (fail) return Promise.reject(new Error('broker down'));
        handled.push(...events.map((e) => e.eventId));
        return Promise.resolve();
      },
    });
    await expect(subscription.processBatch()).rejects.toThrow('broker down');
    expect((await subscription.checkpoint()).globalPosition).toBe('0');
    fail = false;
    await subscription.catchUp();
    expect(handled.length).toBeGreaterThan(0);
  });

  it('lets one replica at a time advance a subscription', async () => {
    const name = `sub_${randomUUID()}`;
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [event('A')]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new LogSubscription({
      name,
      dataSource,
      store,
      logger: silent,
      handle: () => gate,
    });
    const other = new LogSubscription({
      name,
      dataSource,
      store,
      logger: silent,
      handle: () => Promise.reject(new Error('must not run while the other holds the lock')),
    });
    const first = slow.processBatch();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await other.processBatch()).toBe(0);
    release();
    expect(await first).toBeGreaterThan(0);
  });
});

describe('LogSubscription, woken by commits', () => {
  const TEN_MINUTES = 10 * 60 * 1000;
  const running: LogSubscription[] = [];
  afterEach(async () => {
    for (const subscription of running.splice(0)) await subscription.stop();
  });

  /**
   * A running subscription whose safety poll never comes within a test, once it has handled an
   * event of its own: from then on only a wake-up makes it look at the log again.
   */
  const follow = async (options: { notifications?: false } = {}) => {
    const sentinel = event('Sentinel');
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [sentinel]);
    const handled: string[] = [];
    const name = `sub_${randomUUID()}`;
    const subscription = new LogSubscription({
      name,
      dataSource,
      store,
      logger: silent,
      pollIntervalMs: TEN_MINUTES,
      ...options,
      handle: (events) => {
        handled.push(...events.map((e) => e.eventId));
        return Promise.resolve();
      },
    });
    subscription.start();
    running.push(subscription);
    await eventually(() => Promise.resolve(handled.includes(sentinel.eventId)));
    if (options.notifications !== false) {
      // Caught up, it marks itself sleeping: from then on appends notify it.
      await eventually(async () => {
        const [row] = await dataSource.query<{ sleeping: boolean }[]>(
          `SELECT sleeping_until > now() AS sleeping FROM "${schema}".checkpoints WHERE subscription_id = $1`,
          [name],
        );
        return row?.sleeping === true;
      });
    }
    // Past its last look after catching up: asleep until woken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { subscription, handled };
  };

  it('handles an event committed while it sleeps, though its safety poll is ten minutes', async () => {
    const { handled } = await follow();

    // Another process's store: only Postgres's notification can wake the subscription.
    const appended = event('Woken');
    await new EventStore(schema).append(dataSource.manager, `s_${randomUUID()}`, 0, [appended]);

    await eventually(() => Promise.resolve(handled.includes(appended.eventId)));
  });

  it('handles an append of its own process at once, without notifications or polls', async () => {
    const { handled } = await follow({ notifications: false });

    const appended = event('InProcess');
    await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [appended]);

    await eventually(() => Promise.resolve(handled.includes(appended.eventId)));
  });

  it('handles an event held back by an older unrelated transaction once it ends, which notifies nothing', async () => {
    const { subscription, handled } = await follow();
    const unrelated = dataSource.createQueryRunner();
    await unrelated.connect();
    try {
      // Like a gateway request in flight: a transaction with an xid, in no event log.
      await unrelated.startTransaction();
      await unrelated.query('SELECT pg_current_xact_id()');

      const appended = event('HeldBack');
      await store.append(dataSource.manager, `s_${randomUUID()}`, 0, [appended]);
      // Committed and notified, but the unrelated transaction is older: the read must wait.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(handled).not.toContain(appended.eventId);
      expect(await subscription.lag()).toBe(1);

      await unrelated.rollbackTransaction();
      await eventually(() => Promise.resolve(handled.includes(appended.eventId)));
    } finally {
      if (unrelated.isTransactionActive) await unrelated.rollbackTransaction();
      await unrelated.release();
    }
  });
});

/** Polls until `probe` holds; fails after a generous while. */
async function eventually(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('not reached within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function latestCheckpoint() {
  const [row] = await dataSource.query<{ t: string; p: string }[]>(
    `SELECT transaction_id::text AS t, global_position::text AS p FROM "${schema}".events
      ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return row ? { transactionId: row.t, globalPosition: row.p } : START_OF_LOG;
}
