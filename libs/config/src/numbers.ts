import { IsInt, Max, Min, ValidateBy } from 'class-validator';

/** A TCP port to listen on (0: any free one). */
export const Port = (): PropertyDecorator => (target, property) => {
  // Applied in the order `@IsInt() @Min(0) @Max(65535)` written above a field applies them.
  Max(65535)(target, property);
  Min(0)(target, property);
  IsInt()(target, property);
};

type Variables = Record<string, unknown>;

const sumOf = (object: Variables, names: readonly string[]): number =>
  names.reduce((sum, name) => sum + Number(object[name]), 0);

/**
 * Greater than the sum of the named variables of the same configuration (one name: greater than
 * that variable), for settings that only make sense together (a lease that outlasts an attempt).
 */
export function AboveSum(...names: string[]): PropertyDecorator {
  return ValidateBy({
    name: 'aboveSum',
    validator: {
      validate: (value, args) => Number(value) > sumOf(args?.object as Variables, names),
      defaultMessage: () => `must be greater than ${names.join(' + ')}`,
    },
  });
}

/** Greater than the named variable of the same configuration. */
export function Above(name: string): PropertyDecorator {
  return AboveSum(name);
}

/** At most the named variable of the same configuration. */
export function NotAbove(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'notAbove',
    validator: {
      validate: (value, args) => Number(value) <= sumOf(args?.object as Variables, [name]),
      defaultMessage: () => `must not be greater than ${name}`,
    },
  });
}

/**
 * Not equal to the named variable of the same configuration when both are set (two listeners
 * cannot share a port); 0, any free port, may appear in both.
 */
export function DiffersFrom(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'differsFrom',
    validator: {
      validate: (value, args) => {
        const other = (args?.object as Variables)[name];
        return other === undefined || Number(value) === 0 || Number(value) !== Number(other);
      },
      defaultMessage: () => `must differ from ${name}`,
    },
  });
}
