import { registerDecorator, type ValidationOptions } from 'class-validator';
import { MetadataLimits, characterCount } from '@finfusion/contracts';

export const IS_METADATA = 'isMetadata';

export interface MetadataProblem {
  /** The offending key, when the problem is one entry's. */
  key?: string;
  message: string;
}

// Limits count characters as a reader does: code points, not UTF-16 units.

/** The first way `value` breaks the API's metadata rules, or undefined when it keeps them. */
export function metadataProblem(value: unknown): MetadataProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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
    if (typeof entry !== 'string') {
      return { key, message: `metadata.${key} must be a string.` };
    }
    if (characterCount(entry) > MetadataLimits.maxValueLength) {
      return {
        key,
        message: `metadata.${key} must be at most ${MetadataLimits.maxValueLength} characters long.`,
      };
    }
  }
  return undefined;
}

/**
 * The API's metadata: an object of at most 50 string values, keys of at most 40 characters,
 * values of at most 500. The validation error names the offending key (`metadata.company`).
 */
export function IsMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: IS_METADATA,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => metadataProblem(value) === undefined,
        defaultMessage: (args) => metadataProblem(args?.value)?.message ?? 'metadata is invalid.',
      },
    });
  };
}

/** The OpenAPI schema of a metadata object, from the limits the validator applies. */
export const metadataApiSchema = (example: Record<string, string>, note = '') =>
  ({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MetadataLimits.maxValueLength },
    maxProperties: MetadataLimits.maxKeys,
    description:
      `Up to ${String(MetadataLimits.maxKeys)} keys of at most ` +
      `${String(MetadataLimits.maxKeyLength)} characters, string values of at most ` +
      `${String(MetadataLimits.maxValueLength)}.${note}`,
    example,
  }) as const;

/** What an update does with metadata, said once for every resource. */
export const METADATA_MERGE_NOTE = ' Keys given replace those keys; a key set to "" is removed.';
