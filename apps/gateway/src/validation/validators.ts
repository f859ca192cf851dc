import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/** Optional, but when given it must pass the other validators: null is not "absent". */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object, value: unknown) => value !== undefined);

/** Refuses the property when `other` is given too (e.g. both pagination cursors). */
export const NotWith = (other: string, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'notWith',
      validator: {
        validate: (_value, args) =>
          (args?.object as Record<string, unknown> | undefined)?.[other] === undefined,
        defaultMessage: (args) => `Give at most one of ${other} and ${args?.property ?? ''}`,
      },
    },
    options,
  );
