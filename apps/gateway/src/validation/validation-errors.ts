import type { ValidationError } from 'class-validator';
import { echoablePath, missingParameter, paramOf, unknownParameter } from '@finfusion/contracts';
import { ApiError, type GatewayErrorCode } from '../errors/api-error';
import { isRuleContext } from './follows-rule.decorator';

interface Failure {
  path: string;
  error: ValidationError;
}

/** The first failing leaf, depth first, with its dotted path (`metadata.company`, `items.0.id`). */
export function firstFailure(errors: ValidationError[], parent = ''): Failure | undefined {
  for (const error of errors) {
    const path = parent === '' ? error.property : `${parent}.${error.property}`;
    if (error.constraints !== undefined && Object.keys(error.constraints).length > 0) {
      return { path, error };
    }
    const nested = firstFailure(error.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

/** class-validator's errors as the API's 400, naming one field in `param`. */
export function validationError(errors: ValidationError[]): ApiError {
  const failure = firstFailure(errors);
  if (!failure) return ApiError.of('parameter_invalid');
  const { path, error } = failure;
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) {
    // The unknown key itself may be a card number: it is named only when it cannot be one.
    const { code, message, param } = unknownParameter(path);
    return ApiError.of(code, { message, param });
  }
  // A required field (@IsDefined) sent as null is as missing as an absent one.
  if (error.value === undefined || (error.value === null && 'isDefined' in constraints)) {
    const { code, message } = missingParameter(path);
    return ApiError.of(code, { message, param: path });
  }
  // Decorators run bottom-up: the last constraint is the first listed on the property, which
  // the DTOs make the type check ("must be a string" before "must be a valid email address").
  const constraint = Object.keys(constraints).at(-1);
  const message =
    (constraint === undefined ? undefined : constraints[constraint]) ?? `${path} is invalid.`;
  const context: unknown = constraint === undefined ? undefined : error.contexts?.[constraint];
  if (isRuleContext(context)) {
    // The rule says how it is answered; the object it stands in is the rule's `fields`.
    const problem = context.problemOf(error.value, (error.target ?? {}) as Record<string, unknown>);
    if (problem !== undefined) {
      return coded(problem.code, sentence(problem.message), paramOf(path, problem));
    }
  }
  // A constraint of class-validator's own: the type checks of fields without a rule of the API's.
  return coded('parameter_invalid', sentence(message), echoablePath(path) ?? path);
}

/** Whatever code a field's rule or context names, a request that does not validate is a 400. */
function coded(code: GatewayErrorCode, message: string, param: string): ApiError {
  const answer = ApiError.of(code, { message, param });
  return answer.status === 400 ? answer : new ApiError(400, answer.body);
}

const sentence = (text: string): string => (text.endsWith('.') ? text : `${text}.`);
