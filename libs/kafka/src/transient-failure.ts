// Which failures are the world's fault (retry as long as they last) and which the record's own
// (retry a few times, then park it).

/** Postgres SQLSTATEs that say nothing about the record: try again later. */
const TRANSIENT_PG_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
/** Whole classes: 08 connection exception, 53 insufficient resources (53300 too many connections). */
const TRANSIENT_PG_CLASSES = ['08', '53'];

const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** What node-postgres and its pool say when the server goes away, without a code. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /encountered a connection error and is not queryable/i,
  /terminating connection due to/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

const KAFKAJS_TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'KafkaJSBrokerNotFound',
]);

/**
 * Whether a failure is transient: the database or broker is unavailable, overloaded or asked the
 * transaction to run again. Looks through wrappers (`cause`, TypeORM's `driverError`, an
 * AggregateError's `errors`). A handler decides for itself by throwing an error with
 * `transient: true` or `transient: false`.
 */
export function isTransientFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e) || seen.size > 20) continue;
    seen.add(e);
    const fields = e as {
      transient?: unknown;
      code?: unknown;
      name?: unknown;
      message?: unknown;
      retriable?: unknown;
      cause?: unknown;
      driverError?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    if (typeof fields.transient === 'boolean') return fields.transient;
    const code = typeof fields.code === 'string' ? fields.code : undefined;
    if (code !== undefined) {
      if (TRANSIENT_PG_CODES.has(code) || TRANSIENT_SOCKET_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_PG_CLASSES.some((c) => code.startsWith(c))) {
        return true;
      }
    }
    const name = typeof fields.name === 'string' ? fields.name : '';
    if (KAFKAJS_TRANSIENT_NAMES.has(name)) return true;
    if (name.startsWith('KafkaJS') && fields.retriable === true) return true;
    const message = typeof fields.message === 'string' ? fields.message : '';
    if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
    queue.push(fields.cause, fields.driverError, fields.originalError);
    if (Array.isArray(fields.errors)) queue.push(...(fields.errors as unknown[]));
  }
  return false;
}
