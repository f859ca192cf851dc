import type { FastifyRequest } from 'fastify';
import { containsCardNumber, type RequestMeta } from '@finfusion/contracts';

/** What the gateway learns about a request as it passes through hooks, guards and interceptors. */
export interface RequestState {
  correlationId: string;
  merchantId?: string;
  apiKeyId?: string;
  idempotencyKey?: string;
}

// Keyed by the Fastify request, which hooks, guards, interceptors and the filter all share.
const states = new WeakMap<FastifyRequest, RequestState>();

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A client's X-Correlation-Id when it is short and plain enough to log and holds no card number
 * (such a request is refused, and its log line must not carry it), else the request id.
 */
export function correlationIdOf(header: string | string[] | undefined, requestId: string): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CORRELATION_ID.test(value) && !containsCardNumber(value)
    ? value
    : requestId;
}

export function startRequestState(request: FastifyRequest): RequestState {
  const state: RequestState = {
    correlationId: correlationIdOf(request.headers['x-correlation-id'], request.id),
  };
  states.set(request, state);
  return state;
}

export function requestStateOf(request: FastifyRequest): RequestState {
  return states.get(request) ?? startRequestState(request);
}

/** The ids that travel to the services; only an authenticated request has them all. */
export function requestMetaOf(request: FastifyRequest): RequestMeta {
  const state = requestStateOf(request);
  if (state.merchantId === undefined) {
    throw new Error('requestMetaOf: the request is not authenticated (is the route guarded?)');
  }
  const meta: RequestMeta = {
    merchantId: state.merchantId,
    requestId: request.id,
    correlationId: state.correlationId,
  };
  if (state.idempotencyKey !== undefined) meta.idempotencyKey = state.idempotencyKey;
  return meta;
}
