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

/** How a production key is written: 32 random bytes, e.g. `openssl rand -base64 32`. */
export const KEY_FORMAT = '32 random bytes as 64 hex characters or 44 base64 characters';

/**
 * Keys published in this repository's examples (compose file, manifests, development scripts).
 * Anyone can read them, so production refuses them even where they look random.
 */
const PUBLISHED_KEYS: ReadonlySet<string> = new Set([
  // docker-compose.yml and infra/dev: the development card transit and fingerprint keys.
  '646576656c6f706d656e742d636172642d7472616e7369742d6b65792d303031',
  '6465762d6f6e6c792d636172642d66696e6765727072696e742d6b65792d3031',
]);

/** The 32 bytes a production key stands for, or undefined when it is not in KEY_FORMAT. */
export function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(value) || /^[A-Za-z0-9_-]{43}$/.test(value)) {
    const bytes = Buffer.from(value, value.endsWith('=') ? 'base64' : 'base64url');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

/**
 * Why a value cannot be a production key, or undefined when it can: not in KEY_FORMAT, an
 * example or placeholder from this repository, or bytes that are plainly not random (text
 * written as hex, a repeated pattern). 32 random bytes pass these checks except with
 * negligible probability.
 */
export function weakKeyReason(value: string): string | undefined {
  if (/change-?me|example|development|not-a-secret/i.test(value)) {
    return 'is a placeholder or example value from the repository';
  }
  if (PUBLISHED_KEYS.has(value.toLowerCase()))
    return 'is an example key published in the repository';
  const bytes = decodeKey(value);
  if (bytes === undefined) return `must be ${KEY_FORMAT}`;
  if (bytes.every((byte) => byte >= 0x20 && byte < 0x7f)) {
    return 'decodes to readable text, not random bytes';
  }
  if (new Set(bytes).size < 16) return 'repeats too few byte values to be random';
  return undefined;
}

/**
 * A secret key: any text of at least 32 characters outside production (development defaults
 * included), and in production only a strong key in KEY_FORMAT (see weakKeyReason). On a list
 * (`each: true`) every item is checked.
 */
export function SecretKey(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'secretKey',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (typeof value !== 'string') return false;
          const { NODE_ENV } = args.object as { NODE_ENV?: string };
          if (NODE_ENV !== 'production') return value.length >= 32;
          return weakKeyReason(value) === undefined;
        },
        defaultMessage(args: ValidationArguments): string {
          const { NODE_ENV } = args.object as { NODE_ENV?: string };
          if (NODE_ENV !== 'production') return 'must be at least 32 characters';
          const values: unknown[] = Array.isArray(args.value) ? args.value : [args.value];
          const reason = values
            .map((item) => (typeof item === 'string' ? weakKeyReason(item) : 'must be a string'))
            .find((found) => found !== undefined);
          return `${reason ?? `must be ${KEY_FORMAT}`} (production keys are ${KEY_FORMAT})`;
        },
      },
    });
  };
}
