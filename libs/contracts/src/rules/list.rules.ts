import { idPattern, type IdPrefix } from '../ids';
import { fieldProblem, integerRule, type FieldRule } from './field-rule';

/** Page sizes of every list: newest first, 10 unless `limit` says otherwise. */
export const ListLimits = { default: 10, max: 100, maxCursorLength: 100 } as const;

/** `limit`: an integer from 1 to 100. */
export const limitRule: FieldRule = integerRule('limit', 1, ListLimits.max);

export type CursorName = 'starting_after' | 'ending_before';

/** A cursor of any list: an id, at most 100 characters. */
export const cursorRule =
  (name: CursorName): FieldRule =>
  (value) => {
    if (typeof value !== 'string') return fieldProblem(`${name} must be a string.`);
    if (value.length > ListLimits.maxCursorLength) {
      return fieldProblem(
        `${name} must be shorter than or equal to ${ListLimits.maxCursorLength} characters.`,
      );
    }
    return undefined;
  };

/** A cursor of a list of one kind: an id of that kind (`pay_…` for payments). */
export const idCursorRule =
  (name: CursorName, prefix: IdPrefix, noun: string): FieldRule =>
  (value) => {
    if (typeof value !== 'string') return fieldProblem(`${name} must be a string.`);
    return idPattern(prefix).test(value) ? undefined : fieldProblem(`${name} must be ${noun}.`);
  };

/** `ending_before` is refused beside `starting_after`: a page goes one way. */
export const oneCursorRule: FieldRule = (_value, fields) =>
  fields.starting_after === undefined
    ? undefined
    : fieldProblem('Give at most one of starting_after and ending_before.');

/** A filter that takes one of a fixed list of values (`status`, `outcome`). */
export const oneOfRule =
  (name: string, allowed: readonly string[]): FieldRule =>
  (value) =>
    allowed.includes(value as string)
      ? undefined
      : fieldProblem(`${name} must be one of ${allowed.join(', ')}.`);
