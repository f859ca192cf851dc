import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { repoRoot } from '@finfusion/testing';

/** An OpenAPI v3 schema of a CustomResourceDefinition, as far as this file reads it. */
interface CrdSchema {
  type?: string;
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: boolean | CrdSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [keyword: string]: unknown;
}

interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema: { openAPIV3Schema: CrdSchema } }[];
  };
}

/**
 * The schema as the API server applies it with strict field validation (kubectl's default): a
 * field the schema does not declare is an error, unless the schema keeps unknown fields.
 */
function strict(schema: CrdSchema): CrdSchema {
  const copy: CrdSchema = { ...schema };
  if (schema.properties !== undefined) {
    copy.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [name, strict(property)]),
    );
    if (
      schema.additionalProperties === undefined &&
      schema['x-kubernetes-preserve-unknown-fields'] !== true
    )
      copy.additionalProperties = false;
  }
  if (schema.items !== undefined) copy.items = strict(schema.items);
  if (typeof schema.additionalProperties === 'object')
    copy.additionalProperties = strict(schema.additionalProperties);
  return copy;
}

/**
 * Validators of Strimzi's KafkaTopic and KafkaUser, by `apiVersion kind`, from the
 * CustomResourceDefinitions that infra/k8s/strimzi-schemas/schemas.sh generates from Strimzi's
 * published API model (fetched from Maven Central once, then cached).
 */
export function strimziValidators(): Map<string, ValidateFunction> {
  let folder: string;
  try {
    folder = execFileSync(
      'bash',
      [path.join(repoRoot, 'infra', 'k8s', 'strimzi-schemas', 'schemas.sh')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } catch (error) {
    throw new Error(
      `infra/k8s/strimzi-schemas/schemas.sh failed: it needs Java, Maven and Maven Central.\n` +
        String(error),
    );
  }
  // Formats such as int32 are the API server's; the shapes and enums are what is checked here.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.yaml'))) {
    const crd = parse(fs.readFileSync(path.join(folder, file), 'utf8')) as CustomResourceDefinition;
    for (const version of crd.spec.versions) {
      validators.set(
        `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`,
        ajv.compile(strict(version.schema.openAPIV3Schema)),
      );
    }
  }
  return validators;
}
