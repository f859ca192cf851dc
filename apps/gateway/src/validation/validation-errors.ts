import type { ValidationError } from 'class-validator';
import { ApiError } from '../errors/api-error';
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
    return ApiError.of('parameter_unknown', {
      message: `Received unknown parameter: ${path}.`,
      param: path,
    });
  }
  if (error.value === undefined) {
    return ApiError.of('parameter_missing', {
      message: `Missing required parameter: ${path}.`,
      param: path,
    });
  }
  if (IS_METADATA in constraints) {
    const problem = metadataProblem(error.value);
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
  const message = Object.values(constraints).at(-1) ?? `${path} is invalid.`;
  return ApiError.of('parameter_invalid', {
    message: sentence(message),
    param: path,
  });
}

const sentence = (text: string): string => (text.endsWith('.') ? text : `${text}.`);
