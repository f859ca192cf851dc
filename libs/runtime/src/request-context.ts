import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestMeta } from '@finfusion/contracts';
import { activeTraceId } from '@finfusion/tracing';

const storage = new AsyncLocalStorage<RequestMeta>();

/** Runs `fn` with the request's ids attached to every log line written while it runs. */
export const runWithRequestContext = <T>(meta: RequestMeta, fn: () => T): T =>
  storage.run(meta, fn);

export const currentRequestContext = (): RequestMeta | undefined => storage.getStore();

/**
 * The log fields of the current request, in the names every service logs them under, and the
 * trace id of the active span when tracing is on (a log line leads to its trace).
 */
export const requestLogFields = (): Record<string, string> => {
  const meta = storage.getStore();
  const traceId = activeTraceId();
  const fields: Record<string, string> = traceId === undefined ? {} : { trace_id: traceId };
  if (!meta) return fields;
  return {
    merchant_id: meta.merchantId,
    request_id: meta.requestId,
    correlation_id: meta.correlationId,
    ...fields,
  };
};
