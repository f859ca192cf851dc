// The two HTTP load generators.
//
// closedLoad: autocannon, closed model. N connections each send a request, wait for its answer,
//   send the next. Throughput is what the server sustains at that concurrency; a slow server is
//   sent less, so latency percentiles are those of the requests it was able to take.
// openLoad: open model, written here (autocannon has none). Requests are scheduled at a fixed
//   arrival rate whatever the answers do, over keep-alive connections opened as needed; each
//   latency runs from the request's scheduled start, so a stall counts against every request it
//   delays (no coordinated omission).
// Both report `rps` as 2xx answers per second, latency percentiles over every answer, and
// `errors`: answers outside 2xx, connection errors and time-outs.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { round, summarize } from './stats.mjs';

const TIMEOUT_S = 15; // beyond the gateway's own 10 s deadline: a late answer is still counted

/** Statuses outside 2xx, plus connection errors and time-outs: the run's target is zero. */
const isError = (status) => !(status >= 200 && status < 300);

/** Throughput counts 2xx answers only: fast refusals must not look like capacity. */
const succeeded = (statuses) =>
  Object.entries(statuses).reduce((sum, [status, n]) => sum + (isError(Number(status)) ? 0 : n), 0);

/**
 * `shape`: { method, path, headers, body, idempotent } (idempotent: a fresh Idempotency-Key on
 * every request). Resolves with throughput, percentiles and errors; `onStart` receives a stop().
 *
 * @param {{ url: string, shape: object, connections: number, seconds: number,
 *   onStart?: (stop: () => void) => void }} options
 */
export function closedLoad({ url, shape, connections, seconds, onStart }) {
  const latencies = [];
  const statuses = {};
  let errors = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: TIMEOUT_S,
        requests: [
          {
            method: shape.method,
            path: shape.path,
            headers: shape.headers,
            body: shape.body,
            ...(shape.idempotent && {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, 'idempotency-key': randomUUID() },
              }),
            }),
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        errors += result.errors + result.timeouts;
        resolve({
          requests: latencies.length,
          rps: round(succeeded(statuses) / seconds),
          ...summarize(latencies),
          errors,
          statuses,
        });
      },
    );
    onStart?.(() => instance.stop());
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (isError(status)) errors += 1;
    });
  });
}

/**
 * Sends `rate` requests per second for `seconds`, then waits for the last answers. `onResponse`
 * sees each 2xx body (the open run uses it to count the payments it created).
 */
export function openLoad({ url, shape, rate, seconds, onStart, onResponse }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const interval = 1000 / rate;
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let issued = 0;
  let done = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let stopped = false;
  let lateMs = 0; // how far behind schedule the generator itself ever fell
  const startAt = performance.now() + 20;

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({
        requests: done,
        target_rps: round(rate),
        rps: round(succeeded(statuses) / seconds),
        ...summarize(latencies),
        errors,
        statuses,
        max_in_flight: maxInFlight,
        generator_late_ms: round(lateMs),
      });
    };
    const settle = (scheduled, status) => {
      latencies.push(performance.now() - scheduled);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (isError(status)) errors += 1;
      inFlight -= 1;
      done += 1;
      if (done === issued && (issued === total || stopped)) finish();
    };
    const fire = (scheduled) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const headers = { ...shape.headers };
      if (shape.idempotent) headers['idempotency-key'] = randomUUID();
      if (shape.body) headers['content-length'] = Buffer.byteLength(shape.body);
      let settled = false;
      const once = (status) => {
        if (settled) return;
        settled = true;
        settle(scheduled, status);
      };
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: shape.method,
          path: shape.path,
          headers,
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            if (!isError(response.statusCode) && onResponse) {
              onResponse(Buffer.concat(chunks).toString('utf8'));
            }
            once(response.statusCode);
          });
          response.on('error', () => {
            once('error');
          });
        },
      );
      request.setTimeout(TIMEOUT_S * 1000, () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        once('error');
      });
      request.end(shape.body);
    };
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      while (issued < total && startAt + issued * interval <= now) {
        const scheduled = startAt + issued * interval;
        lateMs = Math.max(lateMs, now - scheduled);
        issued += 1;
        fire(scheduled);
      }
      if (issued < total) {
        setTimeout(tick, Math.max(0, startAt + issued * interval - performance.now()));
      }
    };
    onStart?.(() => {
      stopped = true;
      if (done === issued) finish();
    });
    setTimeout(tick, Math.max(0, startAt - performance.now()));
  });
}
