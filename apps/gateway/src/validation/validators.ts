import { ValidateIf } from 'class-validator';

/** Optional, but when given it must pass the other validators: null is not "absent". */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object, value: unknown) => value !== undefined);
