import { InFlightLimit } from './in-flight-limit';

/** Lets every callback already queued run, so a promise that could settle has settled. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise's state, observed without waiting on it. */
function watch(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
}

describe('InFlightLimit', () => {
  it('lets holders in at once up to the limit and makes the next one wait', async () => {
    const limit = new InFlightLimit(2);

    expect(limit.acquire()).toBeUndefined();
    expect(limit.acquire()).toBeUndefined();
    const third = limit.acquire();
    expect(third).toBeInstanceOf(Promise);
    expect(limit.size).toBe(2);

    const waiting = watch(third!);
    await settle();
    expect(waiting.settled).toBe(false);

    limit.release();
    await settle();
    expect(waiting.settled).toBe(true);
    expect(limit.size).toBe(2);
  });

  it('hands released places to the waiters in arrival order', async () => {
    const limit = new InFlightLimit(1);
    expect(limit.acquire()).toBeUndefined();
    const order: string[] = [];
    const first = limit.acquire()!.then(() => order.push('first'));
    const second = limit.acquire()!.then(() => order.push('second'));

    limit.release();
    await first;
    expect(order).toEqual(['first']);

    limit.release();
    await second;
    expect(order).toEqual(['first', 'second']);
  });

  it('reports drained at once when nothing is held', async () => {
    const limit = new InFlightLimit(3);
    const drained = watch(limit.drained());
    await settle();
    expect(drained.settled).toBe(true);
  });

  it('reports drained only once the last holder, waiters included, has released', async () => {
    const limit = new InFlightLimit(1);
    expect(limit.acquire()).toBeUndefined();
    const waiter = limit.acquire()!;
    const drained = watch(limit.drained());

    limit.release();
    await waiter;
    await settle();
    expect(drained.settled).toBe(false);

    limit.release();
    await settle();
    expect(drained.settled).toBe(true);
    expect(limit.size).toBe(0);
  });
});
