import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { listItems } from './load-config';
import { decodeKey, KEY_FORMAT, weakKeyReason } from './secrets';

// Keys that seal data at rest (kept idempotent responses, webhook signing secrets) are written
// as a ring, `id:key,id:key,…`: the first seals, every one opens, and each sealed value keeps the
// id of its key, so a key is rotated by putting a new one first and dropping the old one once
// nothing sealed with it is left.

export interface RingKey {
  readonly id: string;
  readonly key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** What is wrong with a ring (never its values), or undefined when it is good. */
export function keyRingProblem(value: string, production: boolean): string | undefined {
  const items = listItems(value);
  if (items.length === 0) return 'must list at least one key as id:key';
  const ids = new Set<string>();
  for (const [index, item] of items.entries()) {
    const colon = item.indexOf(':');
    const id = colon < 0 ? '' : item.slice(0, colon);
    if (!KEY_ID.test(id)) {
      return `key ${index + 1} must be written id:key, the id 1-32 of A-Z a-z 0-9 _ . -`;
    }
    if (ids.has(id)) return 'key ids must be unique';
    ids.add(id);
    const secret = item.slice(colon + 1);
    const weakness = production ? weakKeyReason(secret) : undefined;
    if (weakness !== undefined)
      return `key '${id}' ${weakness} (production keys are ${KEY_FORMAT})`;
    if (decodeKey(secret) === undefined && secret.length < 32) {
      return `key '${id}' must be ${KEY_FORMAT}`;
    }
  }
  return undefined;
}

/**
 * The keys of a ring: each written in KEY_FORMAT, or, outside production, any text of 32
 * characters or more (hashed to 32 bytes). Throws what keyRingProblem finds.
 */
export function parseKeyRing(value: string): RingKey[] {
  const problem = keyRingProblem(value, false);
  if (problem !== undefined) throw new Error(problem);
  return listItems(value).map((item) => {
    const colon = item.indexOf(':');
    const secret = item.slice(colon + 1);
    return {
      id: item.slice(0, colon),
      key: decodeKey(secret) ?? createHash('sha256').update(secret).digest(),
    };
  });
}

/**
 * A key ring variable (a string, or a list of its items); in production (NODE_ENV) every key
 * must be strong (weakKeyReason).
 */
export function KeyRing(options: ValidationOptions = {}): PropertyDecorator {
  const problemOf = (args: ValidationArguments): string | undefined => {
    const { NODE_ENV } = args.object as { NODE_ENV?: string };
    const value: unknown = Array.isArray(args.value) ? args.value.join(',') : args.value;
    return typeof value === 'string'
      ? keyRingProblem(value, NODE_ENV === 'production')
      : 'must be a list of keys as id:key';
  };
  return (target, propertyName) => {
    registerDecorator({
      name: 'keyRing',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problemOf(args) === undefined,
        defaultMessage: (args: ValidationArguments) => problemOf(args) ?? 'must be a key ring',
      },
    });
  };
}

export interface SealedValue {
  keyId: string;
  /** iv ‖ ciphertext ‖ tag */
  sealed: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under a ring's first key, with `context` (what the value belongs to) authenticated
 * alongside, so a sealed value moved to another record does not open.
 */
export class RingSealer {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: RingKey;

  /** `name`: the ring's variable, named when a value's key is missing. */
  constructor(
    ring: readonly RingKey[],
    private readonly name: string,
  ) {
    const [current] = ring;
    if (current === undefined) throw new Error(`${name} needs at least one key`);
    this.current = current;
    this.keys = new Map(ring.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): SealedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([
      iv,
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { keyId: this.current.id, sealed };
  }

  /** The plaintext; throws when its key is no longer in the ring or the bytes were altered. */
  open({ keyId, sealed }: SealedValue, context: string): string {
    const key = this.keys.get(keyId);
    if (key === undefined)
      throw new Error(`sealed with key '${keyId}', which ${this.name} does not list`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}
