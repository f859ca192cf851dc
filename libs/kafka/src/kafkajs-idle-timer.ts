import { createRequire } from 'node:module';

interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer on every broker connection forever once its request queue
 * is empty and unthrottled (tulios/kafkajs#1556; the fix, PR #1667, is not released): about
 * 1,500 wake-ups a second per process, a few % of a core each while idle. This replaces the
 * scheduling with the released fix's rule: a timer only while requests wait or a throttle runs.
 */
export function fixKafkajsIdleTimer(): void {
  const load = createRequire(__filename);
  const RequestQueue = load('kafkajs/src/network/requestQueue') as {
    prototype: RequestQueueState & { scheduleCheckPendingRequests(): void };
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueState) {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    if (throttledFor <= 0 && this.pending.length === 0) return;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
}

fixKafkajsIdleTimer();
