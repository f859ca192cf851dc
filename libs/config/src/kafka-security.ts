import fs from 'node:fs';
import { ValidateBy } from 'class-validator';

type Variables = Record<string, unknown>;
const isSet = (value: unknown): boolean => value !== undefined && value !== '';

/** A file the process can read, or unset (empty): certificates and keys given by path. */
export function ReadableFileOrUnset(): PropertyDecorator {
  return ValidateBy({
    name: 'readableFileOrUnset',
    validator: {
      validate: (value) => {
        if (!isSet(value)) return true;
        try {
          fs.accessSync(String(value), fs.constants.R_OK);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must name a file this process can read',
    },
  });
}

/** Set exactly when the named variable is set (a login's username and password, say). */
export function SetWith(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'setWith',
    validator: {
      validate: (value, args) => isSet(value) === isSet((args?.object as Variables)[name]),
      defaultMessage: (args) =>
        isSet(args?.value) ? `is set, so ${name} must be set too` : `must be set with ${name}`,
    },
  });
}

/** Only meaningful with the named boolean variable true: refuses to be set without it. */
export function OnlyWith(name: string): PropertyDecorator {
  return ValidateBy({
    name: 'onlyWith',
    validator: {
      validate: (value, args) => !isSet(value) || (args?.object as Variables)[name] === true,
      defaultMessage: () => `takes effect only with ${name}=true: set it too`,
    },
  });
}
