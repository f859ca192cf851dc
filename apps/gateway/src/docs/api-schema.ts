import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { JsonSchema } from '@finfusion/contracts';

// The response bodies are documented from the contracts' JSON Schemas (draft 2020-12), the one
// definition of each wire shape, converted to the OpenAPI 3.0 dialect the document is written in.

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

/** Adds every named schema to the document's components, in OpenAPI 3.0 form. */
export function addApiSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = { ...document.components?.schemas };
  for (const [schema, name] of named) schemas[name] = toOpenApi(schema, schema);
  return { ...document, components: { ...document.components, schemas } };
}

type Json = Record<string, unknown>;

// Keywords that mean the same in both dialects, their values copied as they are.
const SAME_KEYWORDS = new Set([
  'title',
  'description',
  'type',
  'format',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'default',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

// Keywords with no OpenAPI 3.0 counterpart that only narrow what is valid: leaving them out
// documents a little less, never something false.
const NARROWING_ONLY = new Set(['propertyNames']);

// Identify the JSON Schema document, not a shape: the component's name replaces them.
const DOCUMENT_KEYWORDS = new Set(['$schema', '$id', '$comment']);

const isNull = (schema: unknown): boolean => (schema as Json | undefined)?.type === 'null';

/**
 * One schema in the OpenAPI 3.0 dialect: `const` becomes a one-value `enum`, a `null` in `type` or
 * `anyOf` becomes `nullable`, `examples` gives its first as `example`, and a schema embedded from
 * another named one becomes a `$ref`. A keyword without a faithful translation is refused, so a
 * schema that the document cannot express fails the build of the document, not its readers.
 */
export function toOpenApi(schema: JsonSchema, root?: JsonSchema): SchemaObject | ReferenceObject {
  const name = named.get(schema);
  if (name !== undefined && schema !== root) return { $ref: getSchemaPath(name) };
  // A nullable `anyOf` first, so that the schema's own annotations win over the option's.
  const out: Json = Array.isArray(schema.anyOf) ? anyOf(schema.anyOf as JsonSchema[]) : {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DOCUMENT_KEYWORDS.has(keyword) || NARROWING_ONLY.has(keyword)) continue;
    if (keyword === 'anyOf') continue;
    if (keyword === 'type' && Array.isArray(value)) Object.assign(out, nullableType(value));
    else if (SAME_KEYWORDS.has(keyword)) out[keyword] = value;
    else if (keyword === 'const') out.enum = [value];
    else if (keyword === 'examples') out.example = (value as unknown[])[0];
    else if (keyword === 'properties') out.properties = mapValues(value as Json);
    else if (keyword === 'items') out.items = toOpenApi(value as JsonSchema);
    else if (keyword === 'additionalProperties') {
      out.additionalProperties =
        typeof value === 'boolean' ? value : toOpenApi(value as JsonSchema);
    } else if (keyword === 'allOf' || keyword === 'oneOf') {
      out[keyword] = (value as JsonSchema[]).map((item) => toOpenApi(item));
    } else throw new Error(`no OpenAPI 3.0 form for the JSON Schema keyword "${keyword}"`);
  }
  return out;
}

const mapValues = (properties: Json): Json =>
  Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, toOpenApi(value as JsonSchema)]),
  );

/** `type: ["string", "null"]` is `type: "string", nullable: true`. */
function nullableType(types: unknown[]): Json {
  const others = types.filter((type) => type !== 'null');
  if (others.length !== 1) throw new Error(`no OpenAPI 3.0 form for type ${JSON.stringify(types)}`);
  return { type: others[0], ...(others.length < types.length && { nullable: true }) };
}

/** `anyOf: [X, {type: "null"}]` is X made nullable; a named X is referred to through `allOf`. */
function anyOf(options: JsonSchema[]): Json {
  const others = options.filter((option) => !isNull(option));
  if (others.length === options.length) return { anyOf: options.map((o) => toOpenApi(o)) };
  const [only] = others;
  if (others.length !== 1 || only === undefined)
    return { anyOf: others.map((o) => toOpenApi(o)), nullable: true };
  const converted = toOpenApi(only);
  return '$ref' in converted
    ? { nullable: true, allOf: [converted] }
    : { ...converted, nullable: true };
}
