// @nestjs/swagger writes OpenAPI 3.0: its schemas (from the request DTOs' decorators) say
// `nullable`, `example` and boolean `exclusiveMinimum`. OpenAPI 3.1 schemas are JSON Schema
// 2020-12, which says these differently. This rewrites the 3.0 schema keywords of a document into
// their 3.1 form. (@scalar/openapi-upgrader does the same, but ships as ES modules only, which the
// gateway, a CommonJS program, and its Jest tests cannot load.)

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Keywords whose value is one schema, a list of schemas, or a map of schemas.
const SUBSCHEMA = ['items', 'not', 'additionalProperties', 'propertyNames', 'contains'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];

/** One schema, and every schema inside it, in the OpenAPI 3.1 (JSON Schema 2020-12) form. */
export function schemaTo31(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (SUBSCHEMA.includes(keyword)) out[keyword] = schemaTo31(value);
    else if (SUBSCHEMA_LISTS.includes(keyword) && Array.isArray(value))
      out[keyword] = value.map(schemaTo31);
    else if (SUBSCHEMA_MAPS.includes(keyword) && isObject(value))
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schemaTo31(v)]));
    else out[keyword] = value;
  }
  // A schema's `example` is `examples`, a list, in JSON Schema.
  if ('example' in out) {
    out.examples ??= [out.example];
    delete out.example;
  }
  const bounded = exclusiveBound(
    exclusiveBound(out, 'exclusiveMinimum', 'minimum'),
    'exclusiveMaximum',
    'maximum',
  );
  return bounded.nullable === undefined ? bounded : withoutNullable(bounded);
}

/** 3.0's `exclusiveMinimum: true` beside `minimum: n` is 3.1's `exclusiveMinimum: n`. */
function exclusiveBound(
  schema: Json,
  exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
  bound: 'minimum' | 'maximum',
): Json {
  const { [exclusive]: flag, [bound]: limit, ...rest } = schema;
  if (typeof flag !== 'boolean') return schema;
  if (!flag) return limit === undefined ? rest : { ...rest, [bound]: limit };
  if (typeof limit !== 'number')
    throw new Error(`${exclusive}: true without a ${bound} has no OpenAPI 3.1 form`);
  return { ...rest, [exclusive]: limit };
}

/**
 * `nullable: true` is a `null` in `type`, or, for a schema without a single type (a reference
 * through `allOf`, an enum without a type), a `null` option beside it.
 */
function withoutNullable(schema: Json): Json {
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  if (typeof rest.type === 'string') {
    const out: Json = { ...rest, type: [rest.type, 'null'] };
    const values: unknown = rest.enum;
    if (Array.isArray(values) && !values.includes(null))
      out.enum = [...(values as unknown[]), null];
    return out;
  }
  const { description, examples, default: fallback, ...shape } = rest;
  const allOf: unknown = shape.allOf;
  const base: unknown = Array.isArray(allOf) && allOf.length === 1 ? allOf[0] : shape;
  return {
    anyOf: [base, { type: 'null' }],
    ...(description !== undefined && { description }),
    ...(examples !== undefined && { examples }),
    ...(fallback !== undefined && { default: fallback }),
  };
}

/** A parameter or header object: its schema in 3.1 form (its own `example` is still valid). */
const withSchema31 = (object: unknown): unknown =>
  isObject(object) && 'schema' in object
    ? { ...object, schema: schemaTo31(object.schema) }
    : object;

const mapValues = (map: unknown, convert: (value: unknown) => unknown): unknown =>
  isObject(map)
    ? Object.fromEntries(Object.entries(map).map(([key, value]) => [key, convert(value)]))
    : map;

/** The media types of a request body or a response: their schemas in 3.1 form. */
const withContent31 = (object: unknown): unknown =>
  isObject(object) && isObject(object.content)
    ? { ...object, content: mapValues(object.content, withSchema31) }
    : object;

const response31 = (response: unknown): unknown => {
  const converted = withContent31(response);
  return isObject(converted) && 'headers' in converted
    ? { ...converted, headers: mapValues(converted.headers, withSchema31) }
    : converted;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** An operation: parameters, body and responses with their schemas in 3.1 form. */
export function operationTo31(operation: unknown): unknown {
  if (!isObject(operation)) return operation;
  const out: Json = { ...operation };
  if (Array.isArray(out.parameters)) out.parameters = out.parameters.map(withSchema31);
  if (out.requestBody !== undefined) out.requestBody = withContent31(out.requestBody);
  if (out.responses !== undefined) out.responses = mapValues(out.responses, response31);
  return out;
}

const pathItemTo31 = (item: unknown): unknown =>
  isObject(item)
    ? Object.fromEntries(
        Object.entries(item).map(([key, value]) => [
          key,
          METHODS.includes(key)
            ? operationTo31(value)
            : key === 'parameters' && Array.isArray(value)
              ? value.map(withSchema31)
              : value,
        ]),
      )
    : item;

/**
 * The paths and components of an OpenAPI 3.0 document in their 3.1 form: every schema, wherever
 * it is (components, parameters, bodies, responses, headers).
 */
export function documentTo31<T extends { paths: object; components?: object }>(document: T): T {
  const components = (document.components ?? {}) as Json;
  return {
    ...document,
    paths: mapValues(document.paths, pathItemTo31),
    components: {
      ...components,
      ...(components.schemas !== undefined && {
        schemas: mapValues(components.schemas, schemaTo31),
      }),
      ...(components.parameters !== undefined && {
        parameters: mapValues(components.parameters, withSchema31),
      }),
      ...(components.headers !== undefined && {
        headers: mapValues(components.headers, withSchema31),
      }),
      ...(components.requestBodies !== undefined && {
        requestBodies: mapValues(components.requestBodies, withContent31),
      }),
      ...(components.responses !== undefined && {
        responses: mapValues(components.responses, response31),
      }),
    },
  };
}
