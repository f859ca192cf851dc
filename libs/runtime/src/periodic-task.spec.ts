import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const taskOf = (run: () => Promise<unknown>, onError = jest.fn()) =>
    new PeriodicTask({ firstDelayMs: 10, intervalMs: 100, run, onError });

  it('runs after the first delay, then the interval after each run ends', async () => {
    const run = jest.fn(() => Promise.resolve());
    const task = taskOf(run);
    task.start();
    await jest.advanceTimersByTimeAsync(9);
    expect(run).toHaveBeenCalledTimes(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    await task.stop();
  });

  it('reports a failed run and runs again', async () => {
    const failure = new Error('down');
    const run = jest.fn(() => Promise.reject(failure));
    const onError = jest.fn();
    const task = taskOf(run, onError);
    task.start();
    await jest.advanceTimersByTimeAsync(110);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(run).toHaveBeenCalledTimes(2);
    await task.stop();
  });

  it('waits on stop for the run in progress, says it is stopping, and runs no more', async () => {
    let finish = (): void => undefined;
    const run = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const task = taskOf(run);
    task.start();
    await jest.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    expect(task.stopping).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
