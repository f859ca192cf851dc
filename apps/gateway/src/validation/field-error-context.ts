import type { GatewayErrorCode } from '../errors/api-error';

/**
 * Passed as a class-validator `context` to say how a failed constraint is answered: with a code
 * of its own rather than parameter_invalid (`invalid_cvc`), and naming a part of the field below
 * it (a metadata key). validation-errors.ts reads it; the answer is a 400 whatever the code.
 */
export interface FieldErrorContext {
  code?: GatewayErrorCode;
  /** The sub-path at fault within the value, appended to the field's path; undefined for none. */
  subPath?: (value: unknown) => string | undefined;
}

/** `{ context }` for a class-validator decorator's options. */
export const answeredAs = (context: FieldErrorContext): { context: FieldErrorContext } => ({
  context,
});
