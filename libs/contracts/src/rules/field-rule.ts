// The API's request rules as pure functions, one per field: the gateway's class-validator DTOs
// and the services' parsers both call them, so a field is judged, coded and worded in one place.
// No message repeats the value it judges: it may be anything, a card number included.
import type { PaymentRequestErrorCode } from '../payments';
import { echoablePath } from './echoable-text';

/** Every 400 code a field rule answers with (`invalid_request_error`). */
export type FieldErrorCode = PaymentRequestErrorCode;

/** How a value breaks its field's rule. */
export interface FieldProblem {
  code: FieldErrorCode;
  message: string;
  /** The key or index below the field at fault (`metadata.<key>`, `events.1`), if one is. */
  key?: string;
}

/**
 * A field's rule: the first problem of `value`, or undefined when it keeps the rule. `fields` are
 * the other fields of the same object, for rules that depend on one (a CVC's length on the number).
 */
export type FieldRule = (
  value: unknown,
  fields: Readonly<Record<string, unknown>>,
) => FieldProblem | undefined;

/** A problem answered as `parameter_invalid`, or with the code given. */
export const fieldProblem = (
  message: string,
  code: FieldErrorCode = 'parameter_invalid',
  key?: string,
): FieldProblem => ({ code, message, ...(key !== undefined && { key }) });

/** The dotted path a problem names: the field's, and the key below it when it is safe to show. */
export const paramOf = (path: string, problem: Pick<FieldProblem, 'key'>): string =>
  problem.key === undefined ? path : (echoablePath(`${path}.${problem.key}`) ?? path);

/** A required field that is absent or null. */
export const missingParameter = (path: string): FieldProblem =>
  fieldProblem(`Missing required parameter: ${path}.`, 'parameter_missing');

/** A field that should hold an object (`amount`, `payment_method`). */
export const notAnObject = (path: string): FieldProblem =>
  fieldProblem(`${path} must be an object.`);

/**
 * A key the request's shape does not have, named only when it cannot hold card digits: a card
 * number typed as a key must not come back in the error. `path` is where the key stands.
 */
export function unknownParameter(path: string): FieldProblem & { param: string | undefined } {
  const shown = echoablePath(path);
  if (shown === path) {
    return {
      ...fieldProblem(`Received unknown parameter: ${path}.`, 'parameter_unknown'),
      param: path,
    };
  }
  const message =
    shown === undefined
      ? 'Received an unknown parameter.'
      : `Received an unknown parameter in ${shown}.`;
  return { ...fieldProblem(message, 'parameter_unknown'), param: shown };
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An integer from `min` to `max`, worded as the API words its numeric query and body fields. */
export const integerRule =
  (name: string, min: number, max: number): FieldRule =>
  (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return fieldProblem(`${name} must be an integer number.`);
    }
    if (value < min) return fieldProblem(`${name} must not be less than ${min}.`);
    if (value > max) return fieldProblem(`${name} must not be greater than ${max}.`);
    return undefined;
  };

/** A table of rules by field name: each one callable as a FieldRule, whatever it reads. */
export const ruleTable = <Field extends string>(
  rules: Record<Field, FieldRule>,
): Readonly<Record<Field, FieldRule>> => rules;
