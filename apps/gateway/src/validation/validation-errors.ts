import type { ValidationError } from 'class-validator';
import { ApiError } from '../errors/api-error';
import { echoablePath, mayHoldCardDigits } from './card-safe-text';
import type { FieldErrorContext } from './field-error-context';
import { IS_METADATA, metadataProblem } from './is-metadata.validator';

/**
 * What a custom validator may put in its `context` to name the part of the value at fault: its
 * `locate` returns the key or index under the property (`events.1`), and the message.
 */
export interface ProblemLocator {
  locate(value: unknown): { key?: string; message: string } | undefined;
}

const isLocator = (context: unknown): context is ProblemLocator =>
  typeof (context as Partial<ProblemLocator> | undefined)?.locate === 'function';

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
    const shown = echoablePath(path);
    if (shown !== path) {
      // The unknown key itself may be a card number: name where it is, never the key.
      return ApiError.of('parameter_unknown', {
        message:
          shown === undefined
            ? 'Received an unknown parameter.'
            : `Received an unknown parameter in ${shown}.`,
        param: shown,
      });
    }
    return ApiError.of('parameter_unknown', {
      message: `Received unknown parameter: ${path}.`,
      param: path,
    });
  }
  // A required field (@IsDefined) sent as null is as missing as an absent one.
  if (error.value === undefined || (error.value === null && 'isDefined' in constraints)) {
    return ApiError.of('parameter_missing', {
      message: `Missing required parameter: ${path}.`,
      param: path,
    });
  }
  if (IS_METADATA in constraints) {
    const problem = metadataProblem(error.value);
    if (problem?.key !== undefined && mayHoldCardDigits(problem.key)) {
      return ApiError.of('parameter_invalid', {
        message: `${path} has an invalid key or value.`,
        param: path,
      });
    }
    return ApiError.of('parameter_invalid', {
      message: problem?.message ?? constraints[IS_METADATA],
      param: problem?.key === undefined ? path : `${path}.${problem.key}`,
    });
  }
  for (const [name, context] of Object.entries(error.contexts ?? {})) {
    const problem =
      name in constraints && isLocator(context) ? context.locate(error.value) : undefined;
    if (problem !== undefined) {
      return ApiError.of('parameter_invalid', {
        message: problem.message,
        param: problem.key === undefined ? path : `${path}.${problem.key}`,
      });
    }
  }
  // Decorators run bottom-up: the last constraint is the first listed on the property, which
  // the DTOs make the type check ("must be a string" before "must be a valid email address").
  const constraint = Object.keys(constraints).at(-1);
  const message =
    (constraint === undefined ? undefined : constraints[constraint]) ?? `${path} is invalid.`;
  const context =
    constraint === undefined
      ? undefined
      : (error.contexts?.[constraint] as FieldErrorContext | undefined);
  const subPath = context?.subPath?.(error.value);
  const answer = ApiError.of(context?.code ?? 'parameter_invalid', {
    message: sentence(message),
    param: echoablePath(subPath === undefined ? path : `${path}.${subPath}`) ?? path,
  });
  // Whatever code a field's context names, a request that does not validate is a 400.
  return answer.status === 400 ? answer : new ApiError(400, answer.body);
}

const sentence = (text: string): string => (text.endsWith('.') ? text : `${text}.`);
