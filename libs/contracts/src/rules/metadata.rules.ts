import { containsCardNumber } from '../cards';
import { characterCount, MetadataLimits } from '../metadata';
import { mayHoldCardDigits } from './echoable-text';
import { fieldProblem, isPlainObject, type FieldErrorCode, type FieldRule } from './field-rule';

interface LimitProblem {
  key?: string;
  message: string;
}

// Limits count characters as a reader does: code points, not UTF-16 units.

/** The first way `value` breaks the API's metadata limits. */
function limitProblem(value: unknown): LimitProblem | undefined {
  if (!isPlainObject(value)) {
    return { message: 'metadata must be an object whose values are strings.' };
  }
  const entries = Object.entries(value);
  if (entries.length > MetadataLimits.maxKeys) {
    return { message: `metadata can have at most ${MetadataLimits.maxKeys} keys.` };
  }
  for (const [key, entry] of entries) {
    if (key.length === 0 || characterCount(key) > MetadataLimits.maxKeyLength) {
      return {
        key,
        message: `metadata keys must be 1 to ${MetadataLimits.maxKeyLength} characters long.`,
      };
    }
    if (typeof entry !== 'string') return { key, message: `metadata.${key} must be a string.` };
    if (characterCount(entry) > MetadataLimits.maxValueLength) {
      return {
        key,
        message: `metadata.${key} must be at most ${MetadataLimits.maxValueLength} characters long.`,
      };
    }
  }
  return undefined;
}

const holdsCardNumber = (value: unknown): boolean =>
  isPlainObject(value) &&
  Object.entries(value).some(
    ([key, entry]) =>
      containsCardNumber(key) || (typeof entry === 'string' && containsCardNumber(entry)),
  );

export interface MetadataRuleOptions {
  /** The code of every metadata problem: `invalid_metadata` for payments. */
  code?: FieldErrorCode;
  /** Refuse a card number in a key or a value, before any other problem (payments). */
  refuseCardNumbers?: boolean;
}

/**
 * The API's metadata: an object of at most 50 string values, keys of 1 to 40 characters, values
 * of at most 500. The problem names the key at fault (`metadata.company`) only when the key
 * cannot be part of a card number.
 */
export const metadataRule =
  ({
    code = 'parameter_invalid',
    refuseCardNumbers = false,
  }: MetadataRuleOptions = {}): FieldRule =>
  (value) => {
    if (refuseCardNumbers && holdsCardNumber(value)) {
      return fieldProblem('metadata must not contain card numbers.', code);
    }
    const problem = limitProblem(value);
    if (problem === undefined) return undefined;
    if (problem.key !== undefined && mayHoldCardDigits(problem.key)) {
      return fieldProblem('metadata has an invalid key or value.', code);
    }
    return fieldProblem(problem.message, code, problem.key);
  };
