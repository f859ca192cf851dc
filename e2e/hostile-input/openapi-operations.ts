// The gateway's operations as its OpenAPI document lists them, so a new route is fuzzed
// without a change here.

/** The subset of JSON Schema the gateway's document uses. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  example?: unknown;
  examples?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface PathParam {
  name: string;
  /** The id prefix the description names (`(cust_…)`), if any. */
  prefix: string | undefined;
}

export interface QueryParam {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** `/v2/customers/{id}` */
  template: string;
  pathParams: PathParam[];
  query: QueryParam[];
  /** The JSON body's schema, $refs resolved; undefined when the operation takes no body. */
  body: Schema | undefined;
  bodyRequired: boolean;
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document but its own documentation routes. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const schemas = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        template,
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, prefix: /\((\w+)_…\)/.exec(p.description ?? '')?.[1] })),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            required: p.required === true,
            schema: resolve(p.schema ?? {}, schemas),
          })),
        body: bodySchema === undefined ? undefined : resolve(bodySchema, schemas),
        bodyRequired: operation.requestBody?.required !== false && bodySchema !== undefined,
      });
    }
  }
  return operations;
}

/** Inlines $refs (and single-element allOf wrappers) so generators read one tree. */
export function resolve(schema: Schema, schemas: Record<string, Schema>, depth = 0): Schema {
  if (depth > 16) return {};
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref'));
    return resolve({ ...(schemas[name] ?? {}), ...rest }, schemas, depth + 1);
  }
  if (schema.allOf?.length === 1 && schema.allOf[0] !== undefined) {
    const { allOf, ...rest } = schema;
    return resolve({ ...allOf[0], ...rest }, schemas, depth + 1);
  }
  const out: Schema = { ...schema };
  if (schema.items !== undefined) out.items = resolve(schema.items, schemas, depth + 1);
  if (schema.properties !== undefined) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, schemas, depth + 1)]),
    );
  }
  return out;
}

/** The schema's main type: `integer`, `string`, `object`… (nullable aside). */
export function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type !== undefined) return type;
  if (schema.properties !== undefined) return 'object';
  if (schema.enum !== undefined && schema.enum.every((v) => typeof v === 'string')) {
    return 'string';
  }
  return undefined;
}

/** A schema's text example: the first of its `examples` (OpenAPI 3.1), or its `example` (3.0). */
export function textExampleOf(schema: Schema): string | undefined {
  const example = schema.examples?.[0] ?? schema.example;
  return typeof example === 'string' ? example : undefined;
}

export const isNullable = (schema: Schema): boolean =>
  schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
