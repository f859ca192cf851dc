import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { type StoredEvent } from './event-store';
import { useLogSchema } from './testing/log-schema.fixture';
import { LogSubscription } from './subscription';

const { dataSource, store } = useLogSchema('held_test');

const heldBackSeconds = async (name: string): Promise<number | undefined> => {
  const metric = await register.getSingleMetric('event_subscription_held_back_seconds')?.get();
  return metric?.values.find((v) => v.labels.subscription === name)?.value;
};

const waitFor = async (what: string, check: () => boolean | Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('LogSubscription held back by an open transaction', () => {
  it('warns with the blocking transaction and reports how long it has been held back', async () => {
    const name = `held-${randomUUID().slice(0, 8)}`;
    // An open transaction with an xid, older than the append below.
    const blocker = dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query('SELECT pg_current_xact_id()');
    const [me] = (await blocker.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
    await store.append(dataSource.manager, `s-${name}`, 0, [
      { eventId: `evt_${randomUUID()}`, type: 'Noted', data: {}, metadata: { merchantId: 'm' } },
    ]);

    const warnings: Record<string, unknown>[] = [];
    const handled: StoredEvent[] = [];
    const subscription = new LogSubscription({
      name,
      dataSource,
      store,
      handle: (events) => {
        handled.push(...events);
        return Promise.resolve();
      },
      logger: {
        error: () => undefined,
        debug: () => undefined,
        warn: (fields) => void warnings.push(fields as Record<string, unknown>),
      },
      notifications: false,
      heldBackMaxDelayMs: 50,
      heldBackWarnMs: 300,
    });
    subscription.start();
    try {
      await waitFor('a warning', () => warnings.length > 0);
      expect(handled).toHaveLength(0);
      expect(warnings[0]).toMatchObject({ subscription: name });
      expect(warnings[0]?.held_back_ms).toBeGreaterThanOrEqual(300);
      // The oldest transaction holding an xid: ours, unless another session's is older still.
      expect(typeof warnings[0]?.blocking_pid).toBe('number');
      expect(warnings[0]?.blocking_age_s).toBeGreaterThan(0);
      const pids = warnings.map((w) => w.blocking_pid);
      // Another session's older transaction could come first; ours shows once it is the oldest.
      if (!pids.includes(me?.pid))
        expect((await subscription.blockingTransaction())?.pid).toBeDefined();
      expect(await heldBackSeconds(name)).toBeGreaterThan(0.2);

      await blocker.commitTransaction();
      await waitFor('the event', () => handled.length === 1);
      await waitFor('the gauge to clear', async () => (await heldBackSeconds(name)) === 0);
    } finally {
      await subscription.stop();
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
  });
});
