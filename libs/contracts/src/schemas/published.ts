import { PublicEventTypes, PublicSchemaVersions, type PublicEventType } from '../events';
import type { JsonSchema } from './common.schema';
import { paymentEventSchemasV1 } from './payment-events.v1.schema';
import { publicEventSchemas } from './validate';

// The event schemas as consumers get them: one JSON file per event type and schema version
// (`schemas/events/<type>.v<N>.json`), served by the gateway at the path of their `$id`.
//
// The evolution policy (docs/events.md):
// - within a version, only optional fields are added; nothing is removed, renamed, retyped,
//   narrowed or made required;
// - consumers ignore fields they do not know, so the published schemas allow them: the producers
//   check their events against the closed schemas (a field outside them is a mistake there), the
//   published ones leave objects open;
// - a breaking change is a new version, published beside the old one.

/** Where the published schemas are kept, from the repository's root. */
export const PUBLISHED_SCHEMA_DIR = 'schemas/events';

/** The file of one event type at one schema version, under PUBLISHED_SCHEMA_DIR. */
export const schemaFileOf = (type: PublicEventType, schemaVersion: number): string =>
  `${type}.v${schemaVersion}.json`;

export interface PublishedSchema {
  type: PublicEventType;
  schemaVersion: number;
  file: string;
  schema: JsonSchema;
}

/**
 * The versions a newer one replaced, still published: consumers written against them keep
 * finding them, at the same URL, byte for byte.
 */
const supersededSchemas: readonly Omit<PublishedSchema, 'file'>[] = Object.entries(
  paymentEventSchemasV1,
).map(([type, schema]) => ({ type: type as PublicEventType, schemaVersion: 1, schema }));

const published = ({ type, schemaVersion, schema }: Omit<PublishedSchema, 'file'>) => ({
  type,
  schemaVersion,
  file: schemaFileOf(type, schemaVersion),
  schema: openForConsumers(schema),
});

/** Every event type's schema at its current version, then the superseded ones, as published. */
export const publishedSchemas = (): PublishedSchema[] => [
  ...PublicEventTypes.map((type) =>
    published({
      type,
      schemaVersion: PublicSchemaVersions[type],
      schema: publicEventSchemas[type],
    }),
  ),
  ...supersededSchemas.map(published),
];

/** A published schema's file text: two-space JSON with a final newline. */
export const schemaFileText = (schema: JsonSchema): string =>
  `${JSON.stringify(schema, null, 2)}\n`;

type Node = Readonly<Record<string, unknown>>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords whose value is a schema, and those whose value is a list or map of schemas. */
const SUBSCHEMA = ['items', 'additionalProperties', 'propertyNames', 'not'] as const;
const SUBSCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'] as const;

/** The schema with every `additionalProperties: false` dropped: unknown fields are allowed. */
export function openForConsumers(schema: JsonSchema): JsonSchema {
  const open = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(open);
    if (!isNode(node)) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
        .map(([key, value]) => [key, key === 'examples' || key === 'const' ? value : open(value)]),
    );
  };
  return open(schema) as JsonSchema;
}

/** Keywords that only describe: they may change freely within a version. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', '$comment', 'deprecated']);

/**
 * What makes `next` break a consumer written against `previous` (the same type and version):
 * empty when `next` only adds optional properties or changes annotations. Each problem names the
 * JSON pointer of the schema node.
 */
export function breakingChanges(previous: JsonSchema, next: JsonSchema, at = ''): string[] {
  const problems: string[] = [];
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
  for (const key of keys) {
    if (ANNOTATIONS.has(key)) continue;
    const before = previous[key];
    const after = next[key];
    const where = `${at}/${key}`;
    if (key === 'properties') {
      problems.push(...propertyChanges(before, after, where));
    } else if (key === 'required') {
      const was = new Set(Array.isArray(before) ? (before as string[]) : []);
      for (const name of Array.isArray(after) ? (after as string[]) : [])
        if (!was.has(name)) problems.push(`${where}: "${name}" became required`);
      for (const name of was)
        if (!(Array.isArray(after) && after.includes(name)))
          problems.push(`${where}: "${name}" is no longer required`);
    } else if ((SUBSCHEMA as readonly string[]).includes(key) && isNode(before) && isNode(after)) {
      problems.push(...breakingChanges(before, after, where));
    } else if (
      (SUBSCHEMA_LISTS as readonly string[]).includes(key) &&
      Array.isArray(before) &&
      Array.isArray(after) &&
      before.length === after.length
    ) {
      before.forEach((item, index) => {
        const other: unknown = after[index];
        if (isNode(item) && isNode(other))
          problems.push(...breakingChanges(item, other, `${where}/${index}`));
      });
    } else if (JSON.stringify(before) !== JSON.stringify(after)) {
      problems.push(`${where}: changed from ${shown(before)} to ${shown(after)}`);
    }
  }
  return problems;
}

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

function propertyChanges(before: unknown, after: unknown, where: string): string[] {
  const was = isNode(before) ? before : {};
  const now = isNode(after) ? after : {};
  return Object.entries(was).flatMap(([name, schema]) => {
    const next = now[name];
    if (!isNode(next)) return [`${where}/${name}: removed`];
    return isNode(schema) ? breakingChanges(schema, next, `${where}/${name}`) : [];
  });
}
