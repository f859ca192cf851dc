import type { JSONSchema } from 'json-schema-to-ts';
import { idPattern, type IdPrefix } from '../ids';
import { MetadataLimits } from '../metadata';

// The building blocks of the wire shapes' JSON Schemas. Each schema in this folder is the one
// definition of its shape: the TypeScript type is derived from it (FromSchema), the event
// validation compiles it, and the gateway's OpenAPI document is converted from it. A schema is
// declared `as const` so that its literal values (consts, enums, required names) reach the type.

/** A JSON Schema document (draft 2020-12), kept as plain data so it can be published as is. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a schema may contain, checked where it is declared (`satisfies SchemaOf`). */
export type SchemaOf = JSONSchema;

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A resource id of one kind: `<prefix>_` + base62. */
export const idOf = (prefix: IdPrefix) =>
  ({ type: 'string', pattern: idPattern(prefix).source }) as const;

/** An id with an example, which also tells API readers the kind of resource it names. */
export const idSchema = <const Example extends string>(prefix: IdPrefix, example: Example) =>
  ({ ...idOf(prefix), examples: [example] }) as const;

export const timestampSchema = { type: 'string', format: 'date-time' } as const;

/** A UTC day, `YYYY-MM-DD`. */
export const daySchema = { type: 'string', format: 'date' } as const;

/** A resource's metadata: string values under short keys, within the limits the API accepts. */
export const metadataSchema = {
  type: 'object',
  maxProperties: MetadataLimits.maxKeys,
  propertyNames: { type: 'string', minLength: 1, maxLength: MetadataLimits.maxKeyLength },
  additionalProperties: { type: 'string', maxLength: MetadataLimits.maxValueLength },
} as const satisfies SchemaOf;

/** Metadata with an example that suits its resource. */
export const metadataLike = <const Example extends Readonly<Record<string, string>>>(
  example: Example,
) => ({ ...metadataSchema, examples: [example] }) as const;

/** A string that is always `tag` (a resource's `object`, a method's `type`). */
export const objectTag = <const Tag extends string>(tag: Tag) =>
  ({ type: 'string', const: tag, examples: [tag] }) as const;

/** A page of a list: `has_more` tells whether another page follows, in the list's order. */
export const listSchema = <const Item extends SchemaOf>(
  item: Item,
  hasMore: string,
  order?: string,
) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['object', 'data', 'has_more'],
    properties: {
      object: objectTag('list'),
      data: { type: 'array', items: item, ...(order !== undefined && { description: order }) },
      has_more: { type: 'boolean', description: hasMore, examples: [false] },
    },
  }) as const;

/** The reply of a DELETE: the id of what is gone, its kind, and `deleted: true`. */
export const deletedSchema = <const Kind extends string>(
  kind: Kind,
  prefix: IdPrefix,
  idExample: string,
) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['id', 'object', 'deleted'],
    properties: {
      id: idSchema(prefix, idExample),
      object: objectTag(kind),
      deleted: { type: 'boolean', const: true, examples: [true] },
    },
  }) as const;
