export type Metadata = Record<string, string>;

export const MetadataLimits = {
  maxKeys: 50,
  maxKeyLength: 40,
  maxValueLength: 500,
} as const;

/** Length in characters (code points), as the limits and the JSON Schemas count it: an emoji is 1. */
export const characterCount = (text: string): number => Array.from(text).length;
