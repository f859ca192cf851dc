/** Its first run comes `firstDelayMs` after `start()`, each next one `intervalMs` after the last ended. */
export interface PeriodicTaskOptions {
  firstDelayMs: number;
  intervalMs: number;
  run: () => Promise<unknown>;
  /** A failed run is reported here; the next run comes as usual. */
  onError: (error: unknown) => void;
}

/**
 * A job a service runs in the background (a sweep, a recovery): never two runs at once, the timer
 * does not keep the process alive, and `stop()` waits for the run in progress. The owner starts
 * and stops it from its own lifecycle hooks, and its run may check `stopping` to end early.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopRequested = false;

  constructor(private readonly options: PeriodicTaskOptions) {}

  /** True once `stop()` was called (until the next `start()`). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  start(): void {
    this.stopRequested = false;
    this.arm(this.options.firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.stopRequested) return;
    this.timer = setTimeout(() => {
      this.running = this.options
        .run()
        .catch(this.options.onError)
        .finally(() => {
          this.running = undefined;
          this.arm(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
