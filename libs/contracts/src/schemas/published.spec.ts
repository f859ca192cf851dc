import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PublicEventTypes, PublicSchemaVersions } from '../events';
import { newId } from '../ids';
import type { JsonSchema } from './common.schema';
import { customerCreatedSchema } from './customer-events.schema';
import { schemaIdOf } from './envelope.schema';
import {
  breakingChanges,
  openForConsumers,
  PUBLISHED_SCHEMA_DIR,
  publishedSchemas,
  schemaFileText,
} from './published';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const dir = path.join(root, PUBLISHED_SCHEMA_DIR);
const committedFiles = () =>
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
const readJson = (text: string) => JSON.parse(text) as JsonSchema;

const without = <T extends object>(value: T, key: keyof T) =>
  Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));

/** Every earlier committed text of a file, newest first; none outside a git checkout. */
function historyOf(file: string): string[] {
  const relative = path.join(PUBLISHED_SCHEMA_DIR, file);
  let commits: string[];
  try {
    commits = execFileSync('git', ['log', '--format=%H', '--', relative], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
  return commits.map((commit) =>
    execFileSync('git', ['show', `${commit}:${relative}`], { cwd: root, encoding: 'utf8' }),
  );
}

describe('the published event schemas (schemas/events)', () => {
  it('hold every event type at its current version, as the code has it: run `npm run schemas`', () => {
    for (const published of publishedSchemas()) {
      const file = path.join(dir, published.file);
      expect([published.file, fs.existsSync(file)]).toEqual([published.file, true]);
      expect([published.file, fs.readFileSync(file, 'utf8')]).toEqual([
        published.file,
        schemaFileText(published.schema),
      ]);
    }
  });

  it('keep publishing a superseded version beside the one that replaced it', () => {
    const files = publishedSchemas().map(({ file }) => file);
    expect(files).toEqual(
      expect.arrayContaining(['payment.created.v1.json', 'payment.created.v2.json']),
    );
    expect(new Set(files).size).toBe(files.length);
    expect(committedFiles()).toEqual([...files].sort());
  });

  it('name each file by the type and version its $id says, and keep only earlier versions besides', () => {
    for (const file of committedFiles()) {
      const schema = readJson(fs.readFileSync(path.join(dir, file), 'utf8'));
      const match = /^(?<type>[a-z_.]+)\.v(?<version>\d+)\.json$/.exec(file);
      const type = PublicEventTypes.find((known) => known === match?.groups?.type);
      const version = Number(match?.groups?.version);
      expect([file, type !== undefined]).toEqual([file, true]);
      if (type === undefined) continue;
      expect([file, schema.$id]).toEqual([file, schemaIdOf(type, version)]);
      expect([file, version <= PublicSchemaVersions[type]]).toEqual([file, true]);
    }
  });

  it('never change a published version in a way that breaks its consumers', () => {
    for (const file of committedFiles()) {
      const now = readJson(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const earlier of historyOf(file))
        expect([file, breakingChanges(readJson(earlier), now)]).toEqual([file, []]);
    }
  });

  it('let consumers meet fields they do not know, which the producers never send', () => {
    const validates = (schema: JsonSchema, value: unknown) => {
      const ajv = new Ajv2020({ strict: true });
      addFormats(ajv, ['date-time']);
      return ajv.validate(schema, value);
    };
    const event = {
      id: newId('evt'),
      type: 'customer.created',
      schema_version: 1,
      created_at: '2026-03-15T10:30:00.456Z',
      merchant_id: newId('mer'),
      sequence: 1,
      data: {
        object: {
          id: newId('cust'),
          object: 'customer',
          email: 'jane@example.com',
          name: 'Jane',
          metadata: {},
          created_at: '2026-03-15T10:30:00.456Z',
          loyalty_tier: 'gold',
        },
      },
      region: 'eu',
    };
    expect(validates(openForConsumers(customerCreatedSchema), event)).toBe(true);
    expect(validates(customerCreatedSchema, event)).toBe(false);
    const sent = without(event, 'region');
    const customer = without(event.data.object, 'loyalty_tier');
    expect(validates(customerCreatedSchema, { ...sent, data: { object: customer } })).toBe(true);
  });
});

describe('breakingChanges', () => {
  const base: JsonSchema = {
    type: 'object',
    required: ['id', 'amount'],
    properties: {
      id: { type: 'string', pattern: '^pay_' },
      amount: { type: 'integer', minimum: 1 },
      status: { type: 'string', enum: ['pending', 'succeeded'] },
      card: { type: 'object', properties: { last4: { type: 'string' } } },
    },
  };
  const withProperties = (properties: Record<string, unknown>, required = base.required) => ({
    ...base,
    required,
    properties: { ...(base.properties as object), ...properties },
  });

  it('allows an added optional field, at any depth, and new descriptions', () => {
    expect(breakingChanges(base, withProperties({ note: { type: 'string' } }))).toEqual([]);
    expect(
      breakingChanges(
        base,
        withProperties({
          card: { type: 'object', properties: { last4: { type: 'string' }, brand: {} } },
        }),
      ),
    ).toEqual([]);
    expect(breakingChanges(base, { ...base, description: 'A payment.' })).toEqual([]);
  });

  it('refuses removing, retyping, narrowing or requiring a field', () => {
    const properties = without(base.properties as Record<string, unknown>, 'card');
    expect(breakingChanges(base, { ...base, properties })).toEqual(['/properties/card: removed']);
    expect(
      breakingChanges(base, withProperties({ amount: { type: 'number', minimum: 1 } })),
    ).toEqual(['/properties/amount/type: changed from "integer" to "number"']);
    expect(
      breakingChanges(base, withProperties({ status: { type: 'string', enum: ['pending'] } })),
    ).toEqual(['/properties/status/enum: changed from ["pending","succeeded"] to ["pending"]']);
    expect(
      breakingChanges(base, withProperties({ note: { type: 'string' } }, ['id', 'amount', 'note'])),
    ).toEqual(['/required: "note" became required']);
    expect(breakingChanges(base, { ...base, required: ['id'] })).toEqual([
      '/required: "amount" is no longer required',
    ]);
  });

  it('refuses closing an open object', () => {
    expect(breakingChanges(base, { ...base, additionalProperties: false })).toEqual([
      '/additionalProperties: changed from nothing to false',
    ]);
  });
});
