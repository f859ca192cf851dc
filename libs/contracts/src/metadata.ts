export type Metadata = Record<string, string>;

export const MetadataLimits = {
  maxKeys: 50,
  maxKeyLength: 40,
  maxValueLength: 500,
} as const;

/** Length in characters (code points), as the limits and the JSON Schemas count it: an emoji is 1. */
export const characterCount = (text: string): number => Array.from(text).length;

/**
 * An update's metadata applied to the stored one, as every resource applies it: keys given replace
 * those keys, a key set to "" is removed, other keys stay. `mergeMetadata({}, given)` is a new
 * resource's metadata (empty values dropped).
 */
export function mergeMetadata(current: Metadata, patch: Metadata): Metadata {
  const merged = new Map(Object.entries(current));
  for (const [key, value] of Object.entries(patch)) {
    if (value === '') merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** The refusal of an update whose merged metadata has more keys than the API allows. */
export const mergedMetadataProblem = (merged: Metadata, resource: string): string | undefined =>
  Object.keys(merged).length > MetadataLimits.maxKeys
    ? `A ${resource} can have at most ${MetadataLimits.maxKeys} metadata keys.`
    : undefined;
