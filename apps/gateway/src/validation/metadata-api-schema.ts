import { MetadataLimits } from '@finfusion/contracts';

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
