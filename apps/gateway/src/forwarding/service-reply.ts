import {
  ErrorTypes,
  type ApiErrorBody,
  type ErrorType,
  type ServiceReply,
} from '@finfusion/contracts';

const errorTypes: readonly ErrorType[] = ErrorTypes;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isErrorBody = (value: unknown): value is ApiErrorBody =>
  isRecord(value) &&
  errorTypes.includes(value.type as ErrorType) &&
  typeof value.code === 'string' &&
  typeof value.message === 'string' &&
  (value.param === undefined || typeof value.param === 'string') &&
  (value.decline_code === undefined || typeof value.decline_code === 'string') &&
  // A 402 carries the failed payment, which the client reads: an object, as GET returns it.
  (value.payment === undefined || isRecord(value.payment));

/**
 * Whether a reply off the wire has the contract's shape; anything else is a service bug. A success
 * body is taken to be the topic's body type: the service owns that half of the contract.
 */
export function isServiceReply<B>(value: unknown): value is ServiceReply<B> {
  if (!isRecord(value) || typeof value.status !== 'number') return false;
  if (value.ok === true) return value.status >= 200 && value.status < 300 && 'body' in value;
  if (value.ok === false) {
    return (
      Number.isInteger(value.status) &&
      value.status >= 400 &&
      value.status <= 599 &&
      isErrorBody(value.error)
    );
  }
  return false;
}
