import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as gatewayApi from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as externalSecrets from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import type { IContainer, IContainerPort, IPodTemplateSpec } from 'kubernetes-models/v1';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '@finfusion/testing';
import { strimziValidators } from './strimzi-schemas';

type LabelSelector = NonNullable<apps.IDeployment['spec']>['selector'];

/** What `kubectl kustomize` renders: one plain object per document. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export const K8S_DIR = path.join(repoRoot, 'infra', 'k8s');

/** Renders a kustomization (a folder under infra/k8s) as `kubectl apply -k` would apply it. */
export function render(kustomization: string): Manifest[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', path.join(K8S_DIR, kustomization)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'kubectl is not on PATH' : '';
    throw new Error(
      `kubectl kustomize infra/k8s/${kustomization} failed${reason ? `: ${reason}` : ''}. ` +
        `These tests need kubectl (with its built-in kustomize) installed.\n${String(error)}`,
    );
  }
  return parseAllDocuments(output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

interface Model {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

/** Every model class of the schema packages, by `apiVersion kind`. */
const models: ReadonlyMap<string, Model> = new Map(
  [core, apps, batch, policy, autoscaling, networking, monitoring, externalSecrets, gatewayApi]
    .flatMap((module) => Object.values(module) as unknown[])
    .filter(
      (value): value is Model =>
        typeof value === 'function' && 'apiVersion' in value && 'kind' in value,
    )
    .map((model) => [`${model.apiVersion} ${model.kind}`, model]),
);

let strimzi: ReturnType<typeof strimziValidators> | undefined;

/** Why an object does not match its schema (or has none here), or undefined when it does. */
export function schemaProblem(manifest: Manifest): string | undefined {
  const name = `${manifest.kind}/${manifest.metadata.name}`;
  const type = `${manifest.apiVersion} ${manifest.kind}`;
  if (manifest.apiVersion.startsWith('kafka.strimzi.io/')) {
    strimzi ??= strimziValidators();
    const validate = strimzi.get(type);
    if (validate === undefined) return `${name}: no schema for ${type}`;
    if (validate(manifest)) return undefined;
    return `${name}: ${(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`;
  }
  const model = models.get(type);
  if (model === undefined) return `${name}: no schema for ${type}`;
  try {
    new model(manifest).validate();
    return undefined;
  } catch (error) {
    return `${name}: ${(error as Error).message}`;
  }
}

export const ofKind = <T>(manifests: Manifest[], kind: string): (Manifest & T)[] =>
  manifests.filter((manifest) => manifest.kind === kind) as (Manifest & T)[];

/** The pod templates of the Deployments, StatefulSets and Jobs, by workload name. */
export function podTemplates(manifests: Manifest[]): [string, IPodTemplateSpec][] {
  return manifests
    .filter((manifest) => ['Deployment', 'StatefulSet', 'Job'].includes(manifest.kind))
    .map((manifest) => {
      const spec = manifest.spec as { template: IPodTemplateSpec };
      return [`${manifest.kind}/${manifest.metadata.name}`, spec.template];
    });
}

/** Whether a label selector selects the given labels (an empty selector selects everything). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>) {
  const matchLabels = Object.entries(selector?.matchLabels ?? {});
  const expressions = selector?.matchExpressions ?? [];
  return (
    matchLabels.every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      const value = labels[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      if (operator === 'Exists') return value !== undefined;
      return value === undefined;
    })
  );
}

/**
 * A container's environment as the pod gets it: each variable's value, or `secret` when it comes
 * from a Secret. envFrom and valueFrom are read from the ConfigMaps and Secrets rendered beside
 * it; a key the rendered source lacks is left out.
 */
export function containerEnv(
  container: IContainer,
  manifests: Manifest[],
): Map<string, string | typeof SECRET> {
  const env = new Map<string, string | typeof SECRET>();
  const configMap = (name: string) => configMapData(manifests, name);
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      for (const [key, value] of Object.entries(configMap(source.configMapRef.name ?? '')))
        env.set(key, value);
    }
    if (source.secretRef) {
      for (const key of secretKeys(manifests, source.secretRef.name ?? '')) env.set(key, SECRET);
    }
  }
  for (const variable of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    if (variable.value !== undefined) env.set(variable.name, variable.value);
    else if (configMapKeyRef) {
      const value = configMap(configMapKeyRef.name ?? '')[configMapKeyRef.key];
      if (value !== undefined) env.set(variable.name, value);
    } else if (secretKeyRef) {
      if (secretKeys(manifests, secretKeyRef.name ?? '').includes(secretKeyRef.key))
        env.set(variable.name, SECRET);
    }
  }
  return env;
}

export const SECRET = Symbol('from a Secret');

/** The Secret key of an app's own database login: `<APP>_DATABASE_URL`. */
export const databaseKeyPrefix = (app: string): string => app.toUpperCase().replaceAll('-', '_');

function configMapData(manifests: Manifest[], name: string): Record<string, string> {
  const found = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name);
  return (found?.data as Record<string, string> | undefined) ?? {};
}

/**
 * The keys of a Secret: rendered, made by an ExternalSecret that targets its name, or written by
 * Strimzi: a KafkaUser's password into the Secret of its name, the cluster CA's certificate into
 * `<cluster>-cluster-ca-cert`.
 */
export function secretKeys(manifests: Manifest[], name: string): string[] {
  const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === name);
  if (secret) return Object.keys({ ...(secret.data ?? {}), ...(secret.stringData ?? {}) });
  const users = ofKind<{ spec: { authentication?: { type: string } } }>(manifests, 'KafkaUser');
  const user = users.find((u) => u.metadata.name === name);
  if (user?.spec.authentication?.type.startsWith('scram-sha-'))
    return ['password', 'sasl.jaas.config'];
  const clusters = users.map((u) => u.metadata.labels?.['strimzi.io/cluster']);
  if (clusters.some((cluster) => `${cluster ?? ''}-cluster-ca-cert` === name))
    return ['ca.crt', 'ca.p12', 'ca.password'];
  return ofKind<{ spec: externalSecrets.IExternalSecret['spec'] }>(manifests, 'ExternalSecret')
    .filter((external) => (external.spec?.target?.name ?? external.metadata.name) === name)
    .flatMap((external) => (external.spec?.data ?? []).map((item) => item.secretKey));
}

/** The container port a probe or targetPort names (by name or number). */
export function portNumber(
  ports: IContainerPort[] | undefined,
  port: number | string | undefined,
): number | undefined {
  if (typeof port === 'number') return port;
  return ports?.find((candidate) => candidate.name === port)?.containerPort;
}

/** A configuration variable as an app's config class declares it. */
export interface Variable {
  name: string;
  /** The default's source text; undefined when there is none. */
  initializer?: string;
  /** The decorators' source text, e.g. `SecretKey()`. */
  decorators: string[];
}

interface ConfigClass {
  base?: string;
  variables: Variable[];
}

/** The config classes (UPPER_CASE properties) declared in a TypeScript file, by class name. */
function configClassesIn(file: string): Map<string, ConfigClass> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const classes = new Map<string, ConfigClass>();
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name === undefined) continue;
    const base = statement.heritageClauses?.[0]?.types[0]?.expression.getText(source);
    const variables = statement.members
      .filter(ts.isPropertyDeclaration)
      .map((member) => ({
        name: member.name.getText(source),
        initializer: member.initializer?.getText(source),
        decorators: (ts.getDecorators(member) ?? []).map((d) => d.expression.getText(source)),
      }))
      .filter((variable) => /^[A-Z][A-Z0-9_]*$/.test(variable.name));
    classes.set(statement.name.text, { ...(base !== undefined && { base }), variables });
  }
  return classes;
}

/**
 * Every variable an app reads (apps/<app>/src/config.ts, down to ServiceConfig in libs/config),
 * read from the source: libraries never import apps.
 */
export function appVariables(app: string): Map<string, Variable> {
  const configDir = path.join(repoRoot, 'libs', 'config', 'src');
  const classes = new Map(
    [
      ...fs
        .readdirSync(configDir)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
        .map((file) => path.join(configDir, file)),
      path.join(repoRoot, 'apps', app, 'src', 'config.ts'),
    ].flatMap((file) => [...configClassesIn(file)]),
  );
  const appConfig = [...configClassesIn(path.join(repoRoot, 'apps', app, 'src', 'config.ts'))]
    .map(([name]) => name)
    .find((name) => chainOf(classes, name).includes('ServiceConfig'));
  if (appConfig === undefined) throw new Error(`apps/${app}/src/config.ts: no ServiceConfig`);
  const variables = new Map<string, Variable>();
  for (const name of chainOf(classes, appConfig).reverse())
    for (const variable of classes.get(name)?.variables ?? [])
      variables.set(variable.name, variable);
  return variables;
}

/** A class and its ancestors among `classes`, the class first. */
function chainOf(classes: Map<string, ConfigClass>, name: string): string[] {
  const chain: string[] = [];
  for (let at: string | undefined = name; at !== undefined && classes.has(at);) {
    chain.push(at);
    at = classes.get(at)?.base;
  }
  return chain;
}

/**
 * A variable a deployment must set: it has no default, its default is a public development key
 * that production refuses (a secret key or key ring with a value), or its default names this
 * machine (127.0.0.1, localhost), which a pod cannot reach Postgres or Kafka at or listen on for
 * others.
 */
export const isRequiredInCluster = ({ initializer, decorators }: Variable): boolean =>
  initializer === undefined ||
  /127\.0\.0\.1|localhost/.test(initializer) ||
  (decorators.some((decorator) => /^(SecretKey|KeyRing)\(/.test(decorator)) &&
    initializer !== '[]');
