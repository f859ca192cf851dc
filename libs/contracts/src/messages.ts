// The request/reply contract between the gateway and the services.
import type { FromSchema } from 'json-schema-to-ts';
import type { deletedSchema, listSchema, SchemaOf } from './schemas/common.schema';

/** Travels with every request so both sides can log and correlate it. */
export interface RequestMeta {
  merchantId: string;
  requestId: string;
  correlationId: string;
  idempotencyKey?: string;
  /** Epoch milliseconds after which the gateway has stopped waiting: the service skips it. */
  deadline?: number;
}

export interface ServiceRequest<P> {
  meta: RequestMeta;
  payload: P;
}

/** The `type` of every API error, the first thing a client branches on. */
export const ErrorTypes = [
  'invalid_request_error',
  'authentication_error',
  'card_error',
  'idempotency_error',
  'rate_limit_error',
  'api_error',
] as const;
export type ErrorType = (typeof ErrorTypes)[number];

/** The API's error shape, less the request id that the gateway adds. */
export interface ApiErrorBody {
  type: ErrorType;
  code: string;
  message: string;
  param?: string;
  decline_code?: string;
  /** A failed payment that a 402 carries. */
  payment?: unknown;
}

export interface ErrorReply {
  ok: false;
  status: number;
  error: ApiErrorBody;
}

export interface SuccessReply<B> {
  ok: true;
  status: number;
  body: B;
}

export type ServiceReply<B> = SuccessReply<B> | ErrorReply;

export const ok = <B>(body: B, status = 200): SuccessReply<B> => ({ ok: true, status, body });

export const fail = (status: number, error: ApiErrorBody): ErrorReply => ({
  ok: false,
  status,
  error,
});

export const deadlinePassed = (): ErrorReply =>
  fail(504, {
    type: 'api_error',
    code: 'service_timeout',
    message: 'The request was not handled in time. Retry it with the same Idempotency-Key.',
  });

/** The id asked for is not repeated: whatever was typed in its place never comes back. */
export const notFound = (resource: string, { param = 'id' }: { param?: string } = {}): ErrorReply =>
  fail(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${resource}.`,
    param,
  });

export interface ListParams {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

/** A page of any list (`listSchema`), its items of type T. */
export type ListPage<T> = Omit<FromSchema<ReturnType<typeof listSchema<SchemaOf>>>, 'data'> & {
  data: T[];
};

/** The reply of any DELETE (`deletedSchema`). */
export type Deleted = FromSchema<ReturnType<typeof deletedSchema<string>>>;
