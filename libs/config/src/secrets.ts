import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/**
 * For keys that have a public development default: the process refuses to start with that
 * default when NODE_ENV is production.
 */
export function NotDefaultInProduction(
  developmentDefault: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'notDefaultInProduction',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'must be set when NODE_ENV=production (the development default is public)',
        ...options,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const { NODE_ENV } = args.object as { NODE_ENV?: string };
          return NODE_ENV !== 'production' || value !== developmentDefault;
        },
      },
    });
  };
}

/** Variables whose values are never echoed in a configuration error. */
export const isSecretVariable = (name: string): boolean =>
  /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL/.test(name);

/** Public, development-only key for sealing cards between the gateway and payments. */
export const DEVELOPMENT_CARD_TRANSIT_KEY = 'development-only-card-transit-key-not-a-secret';
