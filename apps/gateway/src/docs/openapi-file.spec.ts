import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import { PublicEventTypes } from '@finfusion/contracts';
import { eventSchemaName, webhookOperationId } from './event-webhooks';
import type { OpenApiDocument } from './openapi';
import { buildOpenApiDocument, inPreview, OPENAPI_FILE, openApiFileText } from './openapi-file';
import { OPERATION_ID } from './operation-ids';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const committedFile = path.join(root, OPENAPI_FILE);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  name: string;
  operationId: unknown;
}

/** Every operation of the document, the webhooks' included. */
function operationsOf(document: OpenApiDocument): Operation[] {
  const items = [
    ...Object.entries(document.paths),
    ...Object.entries(document.webhooks ?? {}).map(([name, item]) => [`webhook ${name}`, item]),
  ] as [string, Record<string, { operationId?: unknown } | undefined>][];
  return items.flatMap(([where, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation
        ? [{ name: `${method.toUpperCase()} ${where}`, operationId: operation.operationId }]
        : [];
    }),
  );
}

/** Every documented route handler of the application, with the operationId its decorator names. */
const handlersOfTheApp = () =>
  inPreview((app) =>
    [...app.get(ModulesContainer).values()].flatMap((module) =>
      [...module.controllers.values()].flatMap(({ metatype }) => {
        if (typeof metatype !== 'function') return [];
        if (Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, metatype) !== undefined)
          return [];
        const prototype = metatype.prototype as Record<string, unknown>;
        return Object.getOwnPropertyNames(prototype).flatMap((method) => {
          const handler = prototype[method];
          if (method === 'constructor' || typeof handler !== 'function') return [];
          if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
          if (Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler) !== undefined)
            return [];
          const operation = Reflect.getMetadata(DECORATORS.API_OPERATION, handler) as
            { operationId?: string } | undefined;
          return [{ handler: `${metatype.name}.${method}`, operationId: operation?.operationId }];
        });
      }),
    ),
  );

describe('the OpenAPI document (openapi.json)', () => {
  let document: OpenApiDocument;

  beforeAll(async () => {
    document = await buildOpenApiDocument();
  });

  it('is committed as the code generates it: run `npm run openapi`', () => {
    expect(fs.existsSync(committedFile)).toBe(true);
    expect(fs.readFileSync(committedFile, 'utf8')).toBe(openApiFileText(document));
  });

  it('is OpenAPI 3.1, without the 3.0 keywords 3.1 no longer has', () => {
    expect(document.openapi).toBe('3.1.0');
    const text = JSON.stringify({ paths: document.paths, components: document.components });
    expect(text).not.toContain('"nullable"');
    expect(text).not.toMatch(/"exclusive(Minimum|Maximum)":(true|false)/);
  });

  it('documents the public API only: no documentation, event schema, health or metrics route', () => {
    const paths = Object.keys(document.paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((route) => !route.startsWith('/v2/'))).toEqual([]);
  });

  it('names every operation once, with a camelCase verb and noun', () => {
    const operations = operationsOf(document);
    const ids = operations.map(({ operationId }) => operationId);
    const malformed = operations.filter(
      ({ operationId }) =>
        typeof operationId !== 'string' ||
        !OPERATION_ID.test(operationId) ||
        operationId.includes('Controller'),
    );
    expect(malformed).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(ids).toEqual(
      expect.arrayContaining([
        'createPayment',
        'getPayment',
        'listPayments',
        'listPaymentEvents',
        'createCustomer',
        'createWebhookEndpoint',
        'listWebhookDeliveries',
      ]),
    );
  });

  it('takes each route operationId from its @ApiOperation, never from the fallback convention', async () => {
    const handlers = await handlersOfTheApp();
    expect(handlers.length).toBe(
      operationsOf(document).filter(({ name }) => !name.includes(' webhook ')).length,
    );
    expect(handlers.filter(({ operationId }) => operationId === undefined)).toEqual([]);
  });

  it('has a webhook for every public event type: its envelope, the Standard Webhooks headers', () => {
    expect(Object.keys(document.webhooks ?? {})).toEqual([...PublicEventTypes]);
    const schemas = document.components?.schemas ?? {};
    const parameters = document.components?.parameters ?? {};
    for (const type of PublicEventTypes) {
      const operation = document.webhooks?.[type]?.post;
      expect(operation?.operationId).toBe(webhookOperationId(type));
      expect(operation?.requestBody).toEqual({
        required: true,
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/${eventSchemaName(type)}` } },
        },
      });
      const headers = (operation?.parameters ?? []).map((parameter) => {
        const name = '$ref' in parameter ? parameter.$ref.split('/').pop() : undefined;
        return name === undefined ? parameter : parameters[name];
      });
      expect(headers).toEqual(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name): unknown =>
          expect.objectContaining({ name, in: 'header', required: true }),
        ),
      );
      expect(schemas[eventSchemaName(type)]).toMatchObject({
        required: expect.arrayContaining(['id', 'type', 'data', 'sequence']) as unknown,
        properties: { type: { const: type } },
      });
    }
  });

  it('has no error or warning under Redocly’s recommended rules', () => {
    const output = execFileSync(
      process.execPath,
      [
        require.resolve('@redocly/cli/bin/cli.js'),
        'lint',
        OPENAPI_FILE,
        '--extends=recommended',
        '--format=json',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const report = JSON.parse(output) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect({ totals: report.totals, problems: report.problems }).toEqual({
      totals: expect.objectContaining({ errors: 0, warnings: 0 }) as unknown,
      problems: [],
    });
  });
});
