import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { IContainer, IPodTemplateSpec } from 'kubernetes-models/v1';
import {
  ensureLoginRoles,
  openClient,
  query,
  repoRoot,
  serviceNames,
  testEnv,
} from '@finfusion/testing';
import { databaseKeyPrefix, type Manifest, ofKind, render } from './k8s-manifests.fixture';

// The migrate Job of each overlay, run for real: each of its containers' commands with exactly the
// environment the rendered manifests give it (ConfigMap, Secret, literal values), against a fresh
// database on the test server. Only the host, port and database of DATABASE_URL change, so the
// roles of the manifests log in (the test server trusts local connections).

const run = promisify(execFile);
type Overlay = 'dev' | 'prod';

/** The schema each app owns. */
const schemaOf: Record<string, string> = {
  gateway: 'gateway',
  payments: 'payments',
  customers: 'customers',
  'webhook-dispatcher': 'webhooks',
};

/** The same role and password, on the test server and the database `database`. */
function onTestServer(url: string, database: string): string {
  const local = new URL(testEnv.databaseUrl);
  const moved = new URL(url);
  moved.hostname = local.hostname;
  moved.port = local.port;
  moved.pathname = `/${database}`;
  return moved.toString();
}

const dataOf = (manifests: Manifest[], kind: string, name: string): Record<string, string> => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const data = found?.data as Record<string, string> | undefined;
  return { ...data, ...(found?.stringData as Record<string, string> | undefined) };
};

/** A container's environment, every value resolved; `secrets` stands in for a missing Secret. */
function resolvedEnv(
  container: IContainer,
  manifests: Manifest[],
  secrets: Record<string, string>,
): Record<string, string> {
  const secret = (name: string, key: string): string => {
    const value = { ...secrets, ...dataOf(manifests, 'Secret', name) }[key];
    if (value === undefined) throw new Error(`${container.name}: no Secret key ${name}/${key}`);
    return value;
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, dataOf(manifests, 'ConfigMap', source.configMapRef.name ?? ''));
    if (source.secretRef) throw new Error(`${container.name}: envFrom a Secret is not expected`);
  }
  for (const variable of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (configMapKeyRef) {
      const value = dataOf(manifests, 'ConfigMap', configMapKeyRef.name ?? '')[configMapKeyRef.key];
      if (value === undefined)
        throw new Error(`${container.name}: no ConfigMap key ${configMapKeyRef.key}`);
      env[variable.name] = value;
    } else if (secretKeyRef) env[variable.name] = secret(secretKeyRef.name ?? '', secretKeyRef.key);
  }
  return env;
}

/** The migrate Job's containers, in the order they run. */
function migrateContainers(manifests: Manifest[]): IContainer[] {
  const job = ofKind<{ spec: { template: IPodTemplateSpec } }>(manifests, 'Job').find(
    (j) => j.metadata.name === 'migrate',
  );
  const spec = job?.spec.template.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** Runs a container's command (`node apps/<app>/dist/…`) with its environment and PATH only. */
async function runContainer(container: IContainer, env: Record<string, string>): Promise<string> {
  const [command, ...args] = container.command ?? [];
  if (command !== 'node')
    throw new Error(`${container.name}: unexpected command ${String(command)}`);
  try {
    const { stdout } = await run(process.execPath, args, {
      cwd: repoRoot,
      env: { ...env, PATH: process.env.PATH ?? '' },
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${container.name} failed:\n${stdout}${stderr}`);
  }
}

const appOf = (container: IContainer): string => container.name.replace(/^migrate-/, '');
const userOf = (url: string): string => decodeURIComponent(new URL(url).username);

describe.each(['dev', 'prod'] as const)('the %s migrate Job', (overlay: Overlay) => {
  const database = `${new URL(testEnv.databaseUrl).pathname.slice(1)}_job_${overlay}`;
  let manifests: Manifest[];
  let containers: IContainer[];
  /** The prod overlay's Secret comes from your store: the owner's login stands in for it. */
  const secrets: Record<string, string> =
    overlay === 'prod'
      ? { MIGRATION_DATABASE_URL: 'postgres://finfusion_owner:unused@db.example:5432/finfusion' }
      : {};

  const envOf = (container: IContainer): Record<string, string> => {
    const env = resolvedEnv(container, manifests, secrets);
    return { ...env, DATABASE_URL: onTestServer(env.DATABASE_URL ?? '', database) };
  };

  beforeAll(async () => {
    manifests = render(`overlays/${overlay}`);
    containers = migrateContainers(manifests);
    await query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await query(`CREATE DATABASE "${database}"`);
    // What the DBA does (dev: postgres.yaml's init script): the owner and the services' roles,
    // and the owner's right to create schemas.
    const envs = containers.map(envOf);
    const owner = userOf(envs[0]?.DATABASE_URL ?? '');
    await ensureLoginRoles([owner, ...envs.map((env) => env.DATABASE_SERVICE_ROLE ?? '')]);
    if (overlay === 'dev') await runInitScript();
    else await query(`GRANT CONNECT, CREATE ON DATABASE "${database}" TO "${owner}"`);
  });

  afterAll(async () => {
    await query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  /** postgres.yaml's init script, as the image's entrypoint runs it, against the fresh database. */
  async function runInitScript(): Promise<void> {
    const script = dataOf(manifests, 'ConfigMap', 'postgres-init')['init-roles.sh'];
    if (script === undefined) throw new Error('no init-roles.sh in the ConfigMap postgres-init');
    const server = new URL(testEnv.databaseUrl);
    const keys = ['MIGRATION', ...serviceNames.map(databaseKeyPrefix)].map(
      (p) => `${p}_DATABASE_URL`,
    );
    const urls = Object.fromEntries(
      keys.map((key) => [key, dataOf(manifests, 'Secret', 'finfusion-secrets')[key] ?? '']),
    );
    await run('sh', ['-c', script], {
      env: {
        ...urls,
        PATH: process.env.PATH ?? '',
        POSTGRES_USER: decodeURIComponent(server.username),
        POSTGRES_DB: database,
        PGHOST: server.hostname,
        PGPORT: server.port || '5432',
        PGPASSWORD: decodeURIComponent(server.password),
      },
    });
  }

  it('runs each app migration with only the database settings, even in production', async () => {
    expect(containers.map(appOf).sort()).toEqual([...serviceNames].sort());
    for (const container of containers) {
      const output = await runContainer(container, envOf(container));
      expect(output).toMatch(/applied .*; finfusion_\w+ granted its rights/);
    }
    // A second apply runs the Job again: nothing to apply, the grants made again.
    for (const container of containers) {
      expect(await runContainer(container, envOf(container))).toMatch(/up to date; .* granted/);
    }
  });

  it('leaves each schema owned by the owner, and its app role with only its rights', async () => {
    const client = await openClient(onTestServer(testEnv.databaseUrl, database));
    try {
      for (const container of containers) {
        const env = envOf(container);
        const [schema, role] = [schemaOf[appOf(container)] ?? '', env.DATABASE_SERVICE_ROLE ?? ''];
        const { rows } = await client.query(
          `SELECT nspowner::regrole::text AS owner,
                  has_schema_privilege($2, $1, 'USAGE') AS usage,
                  has_schema_privilege($2, $1, 'CREATE') AS create,
                  has_table_privilege($2, format('%I.migrations', $1), 'SELECT') AS read_migrations,
                  has_table_privilege($2, format('%I.migrations', $1), 'INSERT') AS write_migrations
             FROM pg_namespace WHERE nspname = $1`,
          [schema, role],
        );
        expect([schema, rows]).toEqual([
          schema,
          [
            {
              owner: userOf(env.DATABASE_URL ?? ''),
              usage: true,
              create: false,
              read_migrations: true,
              write_migrations: false,
            },
          ],
        ]);
        const { rows: events } = await client.query(
          `SELECT privilege_type FROM information_schema.table_privileges
            WHERE table_schema = $1 AND table_name = 'events' AND grantee = $2 ORDER BY 1`,
          [schema, role],
        );
        const logged = ['payments', 'customers'].includes(schema);
        expect([schema, events]).toEqual([
          schema,
          logged ? [{ privilege_type: 'INSERT' }, { privilege_type: 'SELECT' }] : [],
        ]);
      }
    } finally {
      await client.end();
    }
  });

  if (overlay === 'dev') {
    it("logs each app in with its Deployment's URL, reading only its own schema", async () => {
      const secret = dataOf(manifests, 'Secret', 'finfusion-secrets');
      for (const app of serviceNames) {
        const url = onTestServer(secret[`${databaseKeyPrefix(app)}_DATABASE_URL`] ?? '', database);
        const client = await openClient(url);
        try {
          const own = schemaOf[app] ?? '';
          await expect(
            client.query(`SELECT count(*) FROM "${own}".migrations`),
          ).resolves.toBeDefined();
          const other = own === 'payments' ? 'customers' : 'payments';
          await expect(client.query(`SELECT count(*) FROM "${other}".migrations`)).rejects.toThrow(
            /permission denied/,
          );
        } finally {
          await client.end();
        }
      }
    });
  }
});
