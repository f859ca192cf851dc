import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { JsonSchema } from '@finfusion/contracts';

// The response bodies are documented from the contracts' JSON Schemas (draft 2020-12), the one
// definition of each wire shape. OpenAPI 3.1's schemas are JSON Schema 2020-12, so they go into the
// document as they are, only named: an embedded named schema becomes a reference to it.

/** A response body documented under `components.schemas[name]`, from its JSON Schema. */
export interface ApiSchema {
  readonly name: string;
  readonly schema: JsonSchema;
}

const named = new Map<JsonSchema, string>();

/**
 * Names a contracts schema in the document. Where another documented schema embeds this one
 * (the very same object), the document refers to it by name instead of repeating it.
 */
export function apiSchema(name: string, schema: JsonSchema): ApiSchema {
  const taken = [...named].find(([other, otherName]) => otherName === name && other !== schema);
  if (taken) throw new Error(`two schemas are documented as ${name}`);
  named.set(schema, name);
  return { name, schema };
}

/** The reference to a documented schema, for decorators. */
export const apiSchemaRef = (documented: ApiSchema): ReferenceObject => ({
  $ref: getSchemaPath(documented.name),
});

/**
 * Adds every named schema to the document's components, all of them in the order of their names
 * (not of the imports that named them, so the document is the same however it is built).
 */
export function addApiSchemas<T extends OpenAPIObject>(document: T): T {
  const schemas = { ...document.components?.schemas };
  for (const [schema, name] of named) schemas[name] = toOpenApi(schema, schema);
  const sorted = Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((name) => [name, schemas[name]]),
  );
  return { ...document, components: { ...document.components, schemas: sorted } };
}

// Keywords whose value is one schema, a list of schemas, or a map of schemas (others hold data,
// such as `const`, `enum` and `examples`, or numbers and names).
const SUBSCHEMA = new Set([
  'items',
  'not',
  'additionalProperties',
  'propertyNames',
  'contains',
  'if',
  'then',
  'else',
]);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

// Identify the JSON Schema document, not a shape: the component's name replaces them.
const DOCUMENT_KEYWORDS = new Set(['$schema', '$id', '$comment']);

type Json = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One schema as the document has it: where it embeds another named schema (the very same
 * object), a `$ref` to that one; without the keywords that name a JSON Schema document.
 */
export function toOpenApi(schema: JsonSchema, root?: JsonSchema): SchemaObject | ReferenceObject {
  const name = named.get(schema);
  if (name !== undefined && schema !== root) return { $ref: getSchemaPath(name) };
  const out: Json = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DOCUMENT_KEYWORDS.has(keyword)) continue;
    if (SUBSCHEMA.has(keyword) && isSchema(value)) out[keyword] = toOpenApi(value);
    else if (SUBSCHEMA_LISTS.has(keyword) && Array.isArray(value))
      out[keyword] = value.map((item: unknown) => (isSchema(item) ? toOpenApi(item) : item));
    else if (SUBSCHEMA_MAPS.has(keyword) && isSchema(value))
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, isSchema(item) ? toOpenApi(item) : item]),
      );
    else out[keyword] = value;
  }
  return out;
}
