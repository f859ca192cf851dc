/** A counting semaphore: at most `limit` holders at once, the others wait in arrival order. */
export class InFlightLimit {
  private holders = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.holders;
  }

  acquire(): Promise<void> | undefined {
    if (this.holders < this.limit) {
      this.holders++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.holders--;
    if (this.holders === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves once nothing is held. */
  drained(): Promise<void> {
    if (this.holders === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
