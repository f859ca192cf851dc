export type Metadata = Record<string, string>;

export const MetadataLimits = {
  maxKeys: 50,
  maxKeyLength: 40,
  maxValueLength: 500,
} as const;
