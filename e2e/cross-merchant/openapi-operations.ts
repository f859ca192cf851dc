import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type Method = (typeof METHODS)[number];

/** A parameter or body field that names another resource, by its id prefix (`cust`, `whk`…). */
export interface IdReference {
  name: string;
  prefix: string;
}

/** One documented operation, with what the document says about the ids it takes. */
export interface Operation {
  operationId: string;
  method: Method;
  path: string;
  /** Path parameters in the order they appear, each with the resource it names. */
  pathIds: IdReference[];
  /** Query parameters naming a resource; pagination cursors name the listed kind. */
  queryIds: IdReference[];
  /** Query parameters naming no resource. */
  queryFilters: ParameterObject[];
  requiredQuery: string[];
  /** Body fields naming a resource, as dotted paths (`customer`, `source.payment`). */
  bodyIds: IdReference[];
  hasBody: boolean;
  bodyRequired: boolean;
  idempotent: boolean;
  /** The prefix of what the 200 returns: the object itself, or a list's items. */
  returns?: { prefix: string; list: boolean };
  /** What the document left unclear about this operation's ids: each one fails the suite. */
  problems: string[];
}

const CURSORS = new Set(['starting_after', 'ending_before']);
const ID_EXAMPLE = /^([a-z]{2,8})_[0-9A-Za-z]{8,64}$/;
const ID_IN_TEXT = /\(([a-z]{2,8})_…\)/;

const isReference = (value: unknown): value is ReferenceObject =>
  typeof value === 'object' && value !== null && '$ref' in value;

/** Follows `#/components/…` references until a plain object. */
export function resolve<T extends object>(document: OpenAPIObject, value: T | ReferenceObject): T {
  let current: T | ReferenceObject = value;
  for (let hops = 0; isReference(current); hops++) {
    if (hops > 20) throw new Error(`reference loop at ${current.$ref}`);
    const parts = current.$ref.replace(/^#\//, '').split('/');
    let target: unknown = document;
    for (const part of parts) target = (target as Record<string, unknown> | undefined)?.[part];
    if (target === undefined) throw new Error(`unresolved reference ${current.$ref}`);
    current = target as T | ReferenceObject;
  }
  return current;
}

/** The id prefix a parameter or property names: from `(cust_…)` in its text, or its example. */
export function idPrefixOf(
  description: string | undefined,
  schema: SchemaObject | undefined,
): string | undefined {
  const fromText = description === undefined ? undefined : ID_IN_TEXT.exec(description)?.[1];
  if (fromText !== undefined) return fromText;
  const example = schema === undefined ? undefined : schemaExampleOf(schema);
  return typeof example === 'string' ? ID_EXAMPLE.exec(example)?.[1] : undefined;
}

/** A schema's example: the first of its `examples` (OpenAPI 3.1), or its `example` (3.0). */
export function schemaExampleOf(schema: SchemaObject): unknown {
  const examples: unknown = schema.examples;
  return Array.isArray(examples) ? (examples as unknown[])[0] : schema.example;
}

/** Body fields naming a resource, at any depth of the schema. */
export function bodyIdReferences(
  document: OpenAPIObject,
  schema: SchemaObject | ReferenceObject,
  prefix = '',
  seen = new Set<SchemaObject>(),
): IdReference[] {
  const resolved = resolve(document, schema);
  if (seen.has(resolved)) return [];
  seen.add(resolved);
  const found: IdReference[] = [];
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const child = resolve(document, property);
    const idPrefix = idPrefixOf(child.description, child);
    if (idPrefix !== undefined) found.push({ name: path, prefix: idPrefix });
    else if ([child.type].flat().includes('object') || child.properties !== undefined) {
      found.push(...bodyIdReferences(document, property, path, seen));
    }
  }
  return found;
}

/** What an operation's 200 returns: the id prefix of the object, or of a list's items. */
export function returnsOf(
  document: OpenAPIObject,
  operation: OperationObject,
): Operation['returns'] {
  const success = operation.responses['200'];
  if (success === undefined) return undefined;
  const content = resolve<ResponseObject>(document, success).content?.['application/json'];
  if (content?.schema === undefined) return undefined;
  const schema = resolve(document, content.schema);
  const data = schema.properties?.data;
  const items = data === undefined ? undefined : resolve(document, data).items;
  const object = items === undefined ? schema : resolve(document, items);
  const id = object.properties?.id;
  const prefix = id === undefined ? undefined : idPrefixOf(undefined, resolve(document, id));
  return prefix === undefined ? undefined : { prefix, list: items !== undefined };
}

/** Every operation of the document, with the resources its ids name. */
export function operationsOf(document: OpenAPIObject): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const problems: string[] = [];
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
        resolve<ParameterObject>(document, p),
      );
      const returns = returnsOf(document, operation);
      const pathIds: IdReference[] = [];
      for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '')) {
        const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
        const schema = parameter?.schema && resolve(document, parameter.schema);
        const prefix = idPrefixOf(parameter?.description, schema);
        if (prefix === undefined) problems.push(`${label}: {${name}} names no resource kind`);
        else pathIds.push({ name, prefix });
      }
      const queryIds: IdReference[] = [];
      const queryFilters: ParameterObject[] = [];
      for (const parameter of parameters.filter((p) => p.in === 'query')) {
        const schema = parameter.schema && resolve(document, parameter.schema);
        const prefix = CURSORS.has(parameter.name)
          ? (idPrefixOf(parameter.description, schema) ?? returns?.prefix)
          : idPrefixOf(parameter.description, schema);
        if (prefix !== undefined) queryIds.push({ name: parameter.name, prefix });
        else if (CURSORS.has(parameter.name)) {
          problems.push(`${label}: ${parameter.name} pages through no known resource kind`);
        } else queryFilters.push(parameter);
      }
      const body = operation.requestBody && resolve(document, operation.requestBody);
      const bodySchema = body?.content['application/json']?.schema;
      operations.push({
        operationId: operation.operationId ?? label,
        method,
        path,
        pathIds,
        queryIds,
        queryFilters,
        requiredQuery: parameters
          .filter((p) => p.in === 'query' && p.required === true)
          .map((p) => p.name),
        bodyIds: bodySchema === undefined ? [] : bodyIdReferences(document, bodySchema),
        hasBody: bodySchema !== undefined,
        bodyRequired: body?.required === true,
        idempotent: parameters.some(
          (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
        ),
        returns,
        problems,
      });
    }
  }
  return operations;
}

/** The path with each `{name}` replaced by `ids[name]`. */
export function fillPath(path: string, ids: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(id);
  });
}

/** A copy of `body` with the field at a dotted `path` set to `value`. */
export function withField(body: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone((body ?? {}) as Record<string, unknown>);
  const names = path.split('.');
  let target = copy;
  for (const name of names.slice(0, -1)) {
    const next = target[name];
    target[name] = typeof next === 'object' && next !== null ? next : {};
    target = target[name] as Record<string, unknown>;
  }
  target[names[names.length - 1] ?? path] = value;
  return copy;
}
