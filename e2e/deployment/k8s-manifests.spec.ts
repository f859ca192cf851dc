import fs from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IPodTemplateSpec, IService } from 'kubernetes-models/v1';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import type {
  IPrometheusRule,
  IServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import {
  dlqTopicOf,
  EventTopics,
  PAYMENTS_REPLY_TOPIC,
  REPLY_TOPIC,
  requestTopicsOf,
  topicPlan,
} from '@finfusion/contracts';
import { adminRoutes } from '@finfusion/runtime';
import { repoRoot, roleName, serviceNames, type ServiceName } from '@finfusion/testing';
import {
  appVariables,
  containerEnv,
  databaseKeyPrefix,
  isRequiredInCluster,
  type Manifest,
  ofKind,
  podTemplates,
  portNumber,
  render,
  schemaProblem,
  SECRET,
  secretKeys,
  selects,
} from './k8s-manifests.fixture';

type Deployment = Manifest & Required<Pick<IDeployment, 'spec'>>;
type Rendered = Record<'base' | 'dev' | 'prod', Manifest[]>;

const SECRET_NAME = 'finfusion-secrets';

/** The paths the apps serve health and metrics on, on their admin port. */
const served = (route: keyof typeof adminRoutes): string => adminRoutes[route];

/** The topics each app consumes, by the code that subscribes them. */
const consumedTopics: Record<ServiceName, string[]> = {
  gateway: [REPLY_TOPIC],
  payments: [...requestTopicsOf('payments'), PAYMENTS_REPLY_TOPIC, EventTopics.customers],
  customers: requestTopicsOf('customers'),
  'webhook-dispatcher': [
    ...requestTopicsOf('webhooks'),
    ...requestTopicsOf('events'),
    ...Object.values(EventTopics),
  ],
};

const partitionsOf = (topic: string): number => {
  const spec = topicPlan().find((planned) => planned.topic === topic);
  if (spec === undefined) throw new Error(`${topic} is not in the topic plan`);
  return spec.numPartitions;
};

/** Addresses the dispatcher must never reach, IPv4 and IPv6. */
const NON_PUBLIC_RANGES = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
const NON_PUBLIC_RANGES_V6 = ['::1/128', 'fc00::/7', 'fe80::/10'];
const DNS_PORT = 53;
const KAFKA_PORTS = [9092, 9093];
const POSTGRES_PORT = 5432;
/** OTLP/HTTP, where the apps send traces when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
const OTLP_PORT = 4318;

const appDeployment = (manifests: Manifest[], app: string): Deployment => {
  const found = ofKind<Deployment>(manifests, 'Deployment').find((d) => d.metadata.name === app);
  if (found === undefined) throw new Error(`no Deployment ${app}`);
  return found;
};

const appContainer = (deployment: Deployment): IContainer => {
  const container = deployment.spec.template.spec?.containers[0];
  if (container === undefined) throw new Error(`${deployment.metadata.name} has no container`);
  return container;
};

const podLabels = (deployment: Deployment): Record<string, string> =>
  deployment.spec.template.metadata?.labels ?? {};

/** A port an app listens on, `PORT` or `ADMIN_PORT`: as the pod gets it, else its default. */
function listeningPort(
  manifests: Manifest[],
  app: ServiceName,
  variable: 'PORT' | 'ADMIN_PORT' = 'PORT',
): number {
  const port = containerEnv(appContainer(appDeployment(manifests, app)), manifests).get(variable);
  return Number(typeof port === 'string' ? port : appVariables(app).get(variable)?.initializer);
}

/** Whether a file path of an app's container is a key of a Secret mounted there. */
function mountedSecretFile(manifests: Manifest[], app: ServiceName, file: string): boolean {
  const deployment = appDeployment(manifests, app);
  const mount = appContainer(deployment).volumeMounts?.find(
    (m) => path.dirname(file) === m.mountPath,
  );
  const volume = deployment.spec.template.spec?.volumes?.find((v) => v.name === mount?.name);
  const secret = volume?.secret;
  if (secret === undefined) return false;
  const key =
    secret.items === undefined
      ? path.basename(file)
      : secret.items.find((item) => item.path === path.basename(file))?.key;
  return key !== undefined && secretKeys(manifests, secret.secretName ?? '').includes(key);
}

function schemaProblems(manifests: Manifest[]): string[] {
  return manifests.map(schemaProblem).filter((problem) => problem !== undefined);
}

/** Every variable an app cannot run in a cluster without, that its container does not set. */
function unsetVariables(manifests: Manifest[]): string[] {
  return serviceNames.flatMap((app) => {
    const env = containerEnv(appContainer(appDeployment(manifests, app)), manifests);
    return [...appVariables(app).values()]
      .filter((variable) => isRequiredInCluster(variable) && !env.has(variable.name))
      .map((variable) => `${app}: ${variable.name}`);
  });
}

/** Secret keys a pod reads that the overlay's Secret (or ExternalSecret) does not provide. */
function missingSecretKeys(manifests: Manifest[]): string[] {
  return podTemplates(manifests).flatMap(([workload, template]) =>
    [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])]
      .flatMap((container) => container.env ?? [])
      .map((variable) => variable.valueFrom?.secretKeyRef)
      .filter((ref) => ref !== undefined)
      .filter((ref) => !secretKeys(manifests, ref.name ?? '').includes(ref.key))
      .map((ref) => `${workload}: ${ref.name ?? ''}/${ref.key}`),
  );
}

/** Container ports, probes, Services and scrape annotations that miss what the app serves. */
function portProblems(manifests: Manifest[]): string[] {
  return serviceNames.flatMap((app) => {
    const deployment = appDeployment(manifests, app);
    const container = appContainer(deployment);
    const port = listeningPort(manifests, app);
    const adminPort = listeningPort(manifests, app, 'ADMIN_PORT');
    const problems: string[] = [];
    const expect = (what: string, actual: unknown, wanted: unknown) => {
      if (actual !== wanted)
        problems.push(`${app}: ${what} is ${String(actual)}, not ${String(wanted)}`);
    };
    expect('the http container port', portNumber(container.ports, 'http'), port);
    expect(
      'the admin container port (its ADMIN_PORT)',
      portNumber(container.ports, 'admin'),
      adminPort,
    );
    if (adminPort === port) problems.push(`${app}: ADMIN_PORT is its PORT`);
    for (const [probe, path] of [
      ['startupProbe', served('live')],
      ['livenessProbe', served('live')],
      ['readinessProbe', served('ready')],
    ] as const) {
      const httpGet = container[probe]?.httpGet;
      expect(`${probe}'s path`, httpGet?.path, path);
      expect(`${probe}'s port`, portNumber(container.ports, httpGet?.port), adminPort);
    }
    const annotations = deployment.spec.template.metadata?.annotations ?? {};
    expect(
      'the prometheus.io/port annotation',
      Number(annotations['prometheus.io/port']),
      adminPort,
    );
    expect(
      'the prometheus.io/path annotation',
      annotations['prometheus.io/path'],
      served('metrics'),
    );
    const service = ofKind<{ spec: IService['spec'] }>(manifests, 'Service').find(
      (s) => s.metadata.name === app,
    );
    expect(
      'its Service selecting it',
      selects({ matchLabels: service?.spec?.selector ?? { none: '' } }, podLabels(deployment)),
      true,
    );
    for (const [name, wanted] of [
      ['http', port],
      ['admin', adminPort],
    ] as const) {
      const target = service?.spec?.ports?.find((p) => p.name === name)?.targetPort;
      expect(`the Service's ${name} port`, portNumber(container.ports, target), wanted);
    }
    return problems;
  });
}

function availabilityProblems(manifests: Manifest[]): string[] {
  const budgets = ofKind<{ spec: IPodDisruptionBudget['spec'] }>(manifests, 'PodDisruptionBudget');
  return ofKind<Deployment>(manifests, 'Deployment').flatMap((deployment) => {
    const name = deployment.metadata.name;
    const labels = podLabels(deployment);
    const problems: string[] = [];
    if ((deployment.spec.replicas ?? 1) < 2) problems.push(`${name}: fewer than 2 replicas`);
    if (!budgets.some((budget) => selects(budget.spec?.selector, labels)))
      problems.push(`${name}: no PodDisruptionBudget`);
    const spread = deployment.spec.template.spec?.topologySpreadConstraints ?? [];
    if (
      !spread.some(
        (constraint) =>
          constraint.topologyKey === 'kubernetes.io/hostname' &&
          selects(constraint.labelSelector, labels),
      )
    )
      problems.push(`${name}: no topology spread over nodes`);
    return problems;
  });
}

function autoscalerProblems(manifests: Manifest[]): string[] {
  const autoscalers = ofKind<{ spec: IHorizontalPodAutoscaler['spec'] }>(
    manifests,
    'HorizontalPodAutoscaler',
  );
  return serviceNames.flatMap((app) => {
    const hpa = autoscalers.find(
      (a) => a.spec?.scaleTargetRef.kind === 'Deployment' && a.spec.scaleTargetRef.name === app,
    );
    if (hpa?.spec === undefined) return [`${app}: no HorizontalPodAutoscaler`];
    const surge = appDeployment(manifests, app).spec.strategy?.rollingUpdate?.maxSurge;
    const cap = Math.min(...consumedTopics[app].map(partitionsOf));
    const problems: string[] = [];
    if ((hpa.spec.minReplicas ?? 1) < 2) problems.push(`${app}: minReplicas below 2`);
    if (typeof surge !== 'number') problems.push(`${app}: maxSurge is not a number of pods`);
    else if (hpa.spec.maxReplicas + surge > cap)
      problems.push(`${app}: maxReplicas ${hpa.spec.maxReplicas} + maxSurge ${surge} > ${cap}`);
    return problems;
  });
}

const peersOf = (peers: INetworkPolicyPeer[] | undefined) => peers ?? [];

/** Whether a CIDR list leaves out every range of `ranges`. */
const excludesAll = (except: string[] | undefined, ranges: string[]) =>
  ranges.every((range) => except?.includes(range));

/** The policies that select a pod's labels for a direction. */
const policiesFor = (
  policies: (Manifest & { spec: INetworkPolicy['spec'] })[],
  labels: Record<string, string>,
  direction: 'Ingress' | 'Egress',
) =>
  policies.filter(
    (p) => p.spec?.policyTypes?.includes(direction) && selects(p.spec.podSelector, labels),
  );

function networkPolicyProblems(manifests: Manifest[]): string[] {
  const policies = ofKind<{ spec: INetworkPolicy['spec'] }>(manifests, 'NetworkPolicy');
  const problems: string[] = [];
  const denyAll = policies.some(
    ({ spec }) =>
      Object.keys(spec?.podSelector ?? {}).length === 0 &&
      spec?.policyTypes?.includes('Ingress') &&
      spec.policyTypes.includes('Egress') &&
      (spec.ingress ?? []).length === 0 &&
      (spec.egress ?? []).length === 0,
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy for ingress and egress');
  for (const app of serviceNames) {
    const deployment = appDeployment(manifests, app);
    const { ports } = appContainer(deployment);
    const port = listeningPort(manifests, app);
    const adminPort = listeningPort(manifests, app, 'ADMIN_PORT');
    const labels = podLabels(deployment);
    const ingress = policiesFor(policies, labels, 'Ingress').flatMap((p) => p.spec?.ingress ?? []);
    const reachesOnly = (rule: (typeof ingress)[number], wanted: number) =>
      (rule.ports ?? []).length > 0 &&
      (rule.ports ?? []).every((p) => portNumber(ports, p.port) === wanted);
    const fromMonitoring = (rule: (typeof ingress)[number]) =>
      peersOf(rule.from).length > 0 &&
      peersOf(rule.from).every(
        (peer) =>
          peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' &&
          peer.ipBlock === undefined &&
          peer.podSelector === undefined,
      );
    const isPublic = (rule: (typeof ingress)[number]) =>
      app === 'gateway' && peersOf(rule.from).length === 0 && reachesOnly(rule, port);
    const isScrape = (rule: (typeof ingress)[number]) =>
      fromMonitoring(rule) && reachesOnly(rule, adminPort);
    for (const rule of ingress.filter((r) => !isPublic(r) && !isScrape(r)))
      problems.push(`${app}: ingress beyond its public and admin port: ${JSON.stringify(rule)}`);
    if (!ingress.some(isScrape)) problems.push(`${app}: Prometheus cannot scrape its admin port`);
    if (app === 'gateway' && !ingress.some(isPublic))
      problems.push('gateway: its public port is not open');
  }
  for (const [workload, template] of podTemplates(manifests)) {
    const labels = (template.metadata?.labels ?? {}) as Record<string, string>;
    const egress = policiesFor(policies, labels, 'Egress').flatMap((p) => p.spec?.egress ?? []);
    const isDispatcher = labels['app.kubernetes.io/name'] === 'webhook-dispatcher';
    const isApp = (serviceNames as readonly string[]).includes(
      labels['app.kubernetes.io/name'] ?? '',
    );
    const portsOf = (rule: (typeof egress)[number]) => (rule.ports ?? []).map((p) => p.port);
    const only = (rule: (typeof egress)[number], allowed: number[]) =>
      portsOf(rule).length > 0 && portsOf(rule).every((p) => allowed.includes(Number(p)));
    const isPublicHttps = (rule: (typeof egress)[number]) =>
      only(rule, [443]) &&
      peersOf(rule.to).length > 0 &&
      peersOf(rule.to).every(({ ipBlock }) =>
        ipBlock?.cidr === '0.0.0.0/0'
          ? excludesAll(ipBlock.except, NON_PUBLIC_RANGES)
          : ipBlock?.cidr === '::/0' && excludesAll(ipBlock.except, NON_PUBLIC_RANGES_V6),
      );
    const isWide = (peer: INetworkPolicyPeer) =>
      (peer.ipBlock !== undefined && /\/0$/.test(peer.ipBlock.cidr)) ||
      (peer.ipBlock === undefined &&
        peer.namespaceSelector === undefined &&
        peer.podSelector === undefined);
    const isPlatform = (rule: (typeof egress)[number], allowed: number[]) =>
      only(rule, allowed) && peersOf(rule.to).length > 0 && !peersOf(rule.to).some(isWide);
    for (const rule of egress) {
      const allowed =
        isPlatform(rule, [DNS_PORT, ...KAFKA_PORTS, POSTGRES_PORT]) ||
        (isApp && isPlatform(rule, [OTLP_PORT])) ||
        (isDispatcher && isPublicHttps(rule));
      if (!allowed) problems.push(`${workload}: egress beyond its needs: ${JSON.stringify(rule)}`);
    }
    for (const [needed, allowed] of [
      ['DNS', [DNS_PORT]],
      ['Kafka', KAFKA_PORTS],
      ['Postgres', [POSTGRES_PORT]],
    ] as const) {
      if (!egress.some((rule) => isPlatform(rule, [...allowed])))
        problems.push(`${workload}: cannot reach ${needed}`);
    }
    if (isApp && !egress.some((rule) => isPlatform(rule, [OTLP_PORT])))
      problems.push(`${workload}: cannot reach a trace collector on ${OTLP_PORT}`);
    if (isDispatcher && !egress.some(isPublicHttps))
      problems.push(`${workload}: cannot reach public addresses on 443`);
  }
  return problems;
}

/** The paths the public route sends to the gateway, as `type path`. */
function routedPaths(manifests: Manifest[]): string[] {
  const routes = ofKind<{ spec: IHTTPRoute['spec'] }>(manifests, 'HTTPRoute');
  return routes
    .flatMap((route) => route.spec.rules ?? [])
    .filter((rule) => (rule.backendRefs ?? []).some((ref) => ref.name === 'gateway'))
    .flatMap((rule) => rule.matches ?? [{}])
    .map(({ path }) => (path ? `${path.type ?? 'PathPrefix'} ${path.value ?? '/'}` : 'all paths'))
    .sort();
}

/** The container ports the public route reaches, by name, through the Services it sends to. */
function routedContainerPorts(manifests: Manifest[]): string[] {
  const routes = ofKind<{ spec: IHTTPRoute['spec'] }>(manifests, 'HTTPRoute');
  const services = ofKind<{ spec: IService['spec'] }>(manifests, 'Service');
  return routes
    .flatMap((route) => route.spec.rules ?? [])
    .flatMap((rule) => rule.backendRefs ?? [])
    .map((ref) => {
      const target = services
        .find((service) => service.metadata.name === ref.name)
        ?.spec?.ports?.find((port) => port.port === ref.port)?.targetPort;
      return `${ref.name} ${String(target)}`;
    });
}

function monitoringProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const monitors = ofKind<{ spec: IServiceMonitor['spec'] }>(manifests, 'ServiceMonitor');
  const services = ofKind<{ spec: IService['spec'] }>(manifests, 'Service');
  for (const app of serviceNames) {
    const service = services.find((s) => s.metadata.name === app);
    const { ports } = appContainer(appDeployment(manifests, app));
    const adminPort = listeningPort(manifests, app, 'ADMIN_PORT');
    const scraped = monitors.some(
      ({ spec }) =>
        selects(spec.selector, service?.metadata.labels ?? {}) &&
        spec.endpoints.some(
          (endpoint) =>
            endpoint.path === served('metrics') &&
            service?.spec?.ports?.some(
              (port) =>
                port.name === endpoint.port && portNumber(ports, port.targetPort) === adminPort,
            ),
        ),
    );
    if (!scraped)
      problems.push(`${app}: no ServiceMonitor scrapes ${served('metrics')} on its admin port`);
  }
  return problems;
}

/** The alerts, each with its expression and runbook link. */
function alerts(manifests: Manifest[]) {
  return ofKind<{ spec: IPrometheusRule['spec'] }>(manifests, 'PrometheusRule')
    .flatMap((rule) => rule.spec.groups?.flatMap((group) => group.rules ?? []) ?? [])
    .filter((rule) => rule.alert !== undefined)
    .map((rule) => ({
      alert: rule.alert ?? '',
      expr: String(rule.expr),
      runbook: rule.annotations?.runbook_url ?? '',
    }));
}

describe('Kubernetes manifests', () => {
  let rendered: Rendered;

  beforeAll(() => {
    rendered = { base: render('base'), dev: render('overlays/dev'), prod: render('overlays/prod') };
  });

  it.each(['base', 'dev', 'prod'] as const)('%s: every object matches its schema', (name) => {
    expect(rendered[name].length).toBeGreaterThan(10);
    expect(schemaProblems(rendered[name])).toEqual([]);
  });

  it('the base holds no Secret; dev has the example one, prod makes it from an ExternalSecret', () => {
    const kinds = (name: keyof Rendered) =>
      rendered[name].filter((m) => m.metadata.name === SECRET_NAME).map((m) => m.kind);
    expect(ofKind(rendered.base, 'Secret')).toEqual([]);
    expect(kinds('base')).toEqual([]);
    expect(kinds('dev')).toEqual(['Secret']);
    expect(ofKind(rendered.prod, 'Secret')).toEqual([]);
    expect(kinds('prod')).toEqual(['ExternalSecret']);
  });

  it('reads which variables an app needs from its configuration', () => {
    const required = (app: ServiceName) =>
      [...appVariables(app).values()].filter(isRequiredInCluster).map((v) => v.name);
    const common = ['DATABASE_URL', 'KAFKA_BROKERS', 'HOST', 'REQUEST_SIGNING_KEYS'];
    expect(required('gateway').sort()).toEqual(
      [...common, 'CARD_TRANSIT_KEY', 'IDEMPOTENCY_ENCRYPTION_KEYS'].sort(),
    );
    expect(required('payments').sort()).toEqual(
      [...common, 'CARD_FINGERPRINT_KEY', 'CARD_TRANSIT_KEY'].sort(),
    );
    expect(required('customers').sort()).toEqual([...common, 'PERSONAL_DATA_KEYS'].sort());
    expect(required('webhook-dispatcher').sort()).toEqual(
      [...common, 'WEBHOOK_SECRET_KEYS'].sort(),
    );
  });

  it.each(['dev', 'prod'] as const)(
    '%s: every app gets each variable it needs, and every Secret key it reads exists',
    (name) => {
      expect(unsetVariables(rendered[name])).toEqual([]);
      expect(missingSecretKeys(rendered[name])).toEqual([]);
    },
  );

  it('dev accepts the example keys (development); prod refuses them (production)', () => {
    const nodeEnv = (name: keyof Rendered) =>
      serviceNames.map((app) =>
        containerEnv(appContainer(appDeployment(rendered[name], app)), rendered[name]).get(
          'NODE_ENV',
        ),
      );
    expect(nodeEnv('dev')).toEqual(serviceNames.map(() => 'development'));
    expect(nodeEnv('prod')).toEqual(serviceNames.map(() => 'production'));
    expect(nodeEnv('base')).toEqual(serviceNames.map(() => 'production'));
  });

  it.each(['base', 'dev', 'prod'] as const)(
    '%s: container ports, probes (on the admin port), Services and scrape annotations match what the apps serve',
    (name) => {
      expect(portProblems(rendered[name])).toEqual([]);
    },
  );

  it('dev runs one replica of each app, its own Kafka and Postgres, and points the apps at them', () => {
    const deployments = ofKind<Deployment>(rendered.dev, 'Deployment');
    expect(deployments.map((d) => d.spec.replicas)).toEqual(deployments.map(() => 1));
    const statefulSets = ofKind(rendered.dev, 'StatefulSet').map((s) => s.metadata.name);
    expect(statefulSets.sort()).toEqual(['kafka', 'postgres']);
    const env = containerEnv(appContainer(appDeployment(rendered.dev, 'payments')), rendered.dev);
    expect(env.get('KAFKA_BROKERS')).toBe('kafka:9092');
    const secret = rendered.dev.find((m) => m.kind === 'Secret');
    const urls = Object.entries(secret?.stringData as Record<string, string>).filter(([key]) =>
      key.endsWith('DATABASE_URL'),
    );
    expect(urls.map(([key]) => key).sort()).toEqual(
      ['MIGRATION', ...serviceNames.map(databaseKeyPrefix)].map((p) => `${p}_DATABASE_URL`).sort(),
    );
    for (const [, url] of urls) expect(url).toMatch(/@postgres:5432\/finfusion$/);
  });

  it.each(['dev', 'prod'] as const)(
    '%s: each app runs as its own Postgres role without migrating; the migrate Job as the owner, granting that role',
    (name) => {
      const manifests = rendered[name];
      const [job] = ofKind<{ spec: { template: IPodTemplateSpec } }>(manifests, 'Job').filter(
        (j) => j.metadata.name === 'migrate',
      );
      const migrators = [
        ...(job?.spec.template.spec?.initContainers ?? []),
        ...(job?.spec.template.spec?.containers ?? []),
      ];
      for (const app of serviceNames) {
        const container = appContainer(appDeployment(manifests, app));
        const urlKey = container.env?.find((v) => v.name === 'DATABASE_URL')?.valueFrom
          ?.secretKeyRef?.key;
        expect([app, urlKey]).toEqual([app, `${databaseKeyPrefix(app)}_DATABASE_URL`]);
        expect([app, containerEnv(container, manifests).get('MIGRATIONS_RUN')]).toEqual([
          app,
          'false',
        ]);
        const migrator = migrators.find((c) => c.name === `migrate-${app}`);
        const env = new Map((migrator?.env ?? []).map((v) => [v.name, v]));
        expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef?.key).toBe(
          'MIGRATION_DATABASE_URL',
        );
        expect(env.get('DATABASE_SERVICE_ROLE')?.value).toBe(roleName(`finfusion_${app}`));
      }
      if (name === 'dev') {
        // The role each migrate container grants is the user its app's URL logs in as.
        const secret = manifests.find((m) => m.kind === 'Secret');
        const data = secret?.stringData as Record<string, string>;
        for (const app of serviceNames) {
          const url = new URL(data[`${databaseKeyPrefix(app)}_DATABASE_URL`] ?? '');
          expect(url.username).toBe(roleName(`finfusion_${app}`));
        }
      }
    },
  );

  it('prod: 2 replicas or more, a disruption budget and topology spread for every Deployment', () => {
    expect(availabilityProblems(rendered.prod)).toEqual([]);
  });

  it('prod: an autoscaler per app, capped by the partitions of the topics it consumes', () => {
    expect(autoscalerProblems(rendered.prod)).toEqual([]);
  });

  it('prod: NetworkPolicies deny by default and allow only what each pod needs', () => {
    expect(networkPolicyProblems(rendered.prod)).toEqual([]);
  });

  it("prod: the HTTPRoute exposes only /v2, /docs, /openapi.json and /schemas/events, on the gateway's public port", () => {
    expect(routedPaths(rendered.prod)).toEqual([
      'Exact /openapi.json',
      'PathPrefix /docs',
      'PathPrefix /schemas/events',
      'PathPrefix /v2',
    ]);
    expect(routedContainerPorts(rendered.prod)).toEqual(['gateway http']);
    expect(ofKind(rendered.prod, 'Ingress')).toEqual([]);
  });

  it('prod: every image comes from a registry, by digest', () => {
    const images = podTemplates(rendered.prod).flatMap(([, template]) =>
      [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])].map(
        (container) => container.image ?? '',
      ),
    );
    expect(images.length).toBeGreaterThan(4);
    for (const image of images)
      expect(image).toMatch(/^[\w.-]+\.[\w.-]+\/[\w./-]+@sha256:[0-9a-f]{64}$/);
  });

  it('prod: each app reaches Kafka over TLS as its own Strimzi user; Strimzi owns the topics', () => {
    const users = ofKind<{ spec: { authentication: { type: string } } }>(
      rendered.prod,
      'KafkaUser',
    );
    const topics = ofKind<{
      spec: { topicName: string; partitions: number; config: Record<string, unknown> };
    }>(rendered.prod, 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(
      topicPlan({ minInsyncReplicas: 2 })
        .map((t) => t.topic)
        .sort(),
    );
    const eventTopics: string[] = Object.values(EventTopics);
    const durable = topics.filter((t) =>
      [...eventTopics, ...eventTopics.map(dlqTopicOf)].includes(t.spec.topicName),
    );
    expect(durable).toHaveLength(eventTopics.length * 2);
    for (const topic of durable)
      expect([topic.spec.topicName, topic.spec.config['min.insync.replicas']]).toEqual([
        topic.spec.topicName,
        '2',
      ]);
    expect(podTemplates(rendered.prod).map(([workload]) => workload)).not.toContain(
      'Job/provision-topics',
    );
    for (const app of serviceNames) {
      const container = appContainer(appDeployment(rendered.prod, app));
      const env = containerEnv(container, rendered.prod);
      const login = container.env?.find((v) => v.name === 'KAFKA_SASL_PASSWORD')?.valueFrom;
      const user = users.find((u) => u.metadata.name === env.get('KAFKA_SASL_USERNAME'));
      expect([app, user?.metadata.name, user?.spec.authentication.type]).toEqual([
        app,
        `finfusion-${app}`,
        'scram-sha-512',
      ]);
      expect([app, login?.secretKeyRef?.name, env.get('KAFKA_SASL_PASSWORD')]).toEqual([
        app,
        user?.metadata.name,
        SECRET,
      ]);
      expect([app, env.get('KAFKA_TLS'), env.get('KAFKA_SASL_MECHANISM')]).toEqual([
        app,
        'true',
        'scram-sha-512',
      ]);
      expect([app, env.get('TOPICS_PROVISION'), env.get('KAFKA_MIN_INSYNC_REPLICAS')]).toEqual([
        app,
        'false',
        '2',
      ]);
      const caFile = env.get('KAFKA_TLS_CA_FILE');
      expect([
        app,
        caFile !== undefined && mountedSecretFile(rendered.prod, app, String(caFile)),
      ]).toEqual([app, true]);
    }
  });

  it("refuses a Strimzi resource that Strimzi's schema refuses", () => {
    const user = ofKind(rendered.prod, 'KafkaUser')[0];
    if (user === undefined) throw new Error('prod renders no KafkaUser');
    expect(schemaProblem(user)).toBeUndefined();
    const misspelt = { ...user, spec: { ...(user.spec as object), authorisation: {} } };
    expect(schemaProblem(misspelt)).toMatch(/must NOT have additional properties/);
    const wrongType = { ...user, spec: { authentication: { type: 'scram-sha-1' } } };
    expect(schemaProblem(wrongType)).toMatch(/must be equal to one of the allowed values/);
  });

  it('prod: a ServiceMonitor scrapes every app on its admin port, and every alert has a runbook', () => {
    expect(monitoringProblems(rendered.prod)).toEqual([]);
    const found = alerts(rendered.prod);
    const exprOf = (alert: string) => found.find((a) => a.alert === alert)?.expr;
    expect(exprOf('FinFusionRelayLag')).toMatch(/event_subscription_lag_events/);
    expect(exprOf('FinFusionConsumerLag')).toMatch(/kafka_consumergroup_lag/);
    expect(exprOf('FinFusionDeadLetters')).toMatch(/\.dlq/);
    expect(exprOf('FinFusionWebhookFailures')).toMatch(/webhook_attempts_total\{result="failed"\}/);
    expect(exprOf('FinFusionHttp5xx')).toMatch(
      /http_request_duration_seconds_count\{status=~"5\.\."\}/,
    );
    const operations = fs.readFileSync(path.join(repoRoot, 'docs', 'operations.md'), 'utf8');
    for (const { alert, runbook } of found) {
      expect([alert, runbook]).toEqual([
        alert,
        expect.stringMatching(new RegExp(`/docs/operations\\.md#${alert.toLowerCase()}$`)),
      ]);
      expect([alert, new RegExp(`^#{2,4} ${alert}$`, 'm').test(operations)]).toEqual([alert, true]);
    }
  });
});
