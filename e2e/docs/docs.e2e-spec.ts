import { api } from '@finfusion/testing';
import type {
  OpenAPIObject,
  OperationObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

describe('API documentation', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const response = await api().get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    document = response.body as OpenAPIObject;
  });

  const operation = (
    path: string,
    method: 'get' | 'post' | 'patch' | 'delete',
  ): OperationObject => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return found;
  };

  const apiOperations = (): [string, OperationObject][] =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v2/'))
      .flatMap(([path, item]) =>
        (['get', 'post', 'patch', 'delete'] as const).flatMap((method) => {
          const op = item[method];
          return op ? [[`${method.toUpperCase()} ${path}`, op] as [string, OperationObject]] : [];
        }),
      );

  it('serves Swagger UI at /docs', async () => {
    const response = await api().get('/docs');
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger-ui');
    const init = await api().get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect((await api().get('/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('documents every customers route', () => {
    for (const [path, method] of [
      ['/v2/customers', 'post'],
      ['/v2/customers', 'get'],
      ['/v2/customers/{id}', 'get'],
      ['/v2/customers/{id}', 'patch'],
      ['/v2/customers/{id}', 'delete'],
    ] as const) {
      expect(operation(path, method).responses['200']).toBeDefined();
    }
  });

  it('documents every payments and reports route', () => {
    for (const [path, method] of [
      ['/v2/payments', 'post'],
      ['/v2/payments', 'get'],
      ['/v2/payments/{id}', 'get'],
      ['/v2/payments/{id}/events', 'get'],
      ['/v2/reports/daily', 'get'],
    ] as const) {
      expect(operation(path, method).responses['200']).toBeDefined();
    }
    expect(operation('/v2/payments/{id}', 'get').responses['404']).toBeDefined();
    expect(operation('/v2/payments/{id}/events', 'get').responses['404']).toBeDefined();
    expect(operation('/v2/reports/daily', 'get').tags).toEqual(['Reports']);
  });

  it('documents the payment request, the 402 with the failed payment, and its other errors', () => {
    const create = operation('/v2/payments', 'post');
    for (const status of ['400', '402', '409', '413', '415', '429']) {
      expect({ status, documented: create.responses[status] !== undefined }).toEqual({
        status,
        documented: true,
      });
    }
    expect(
      (create.responses['402'] as ResponseObject).content?.['application/json']?.schema,
    ).toEqual({
      $ref: '#/components/schemas/CardErrorResponse',
    });
    const schemas = document.components?.schemas ?? {};
    expect(JSON.stringify(schemas.CardErrorObject)).toContain(
      '#/components/schemas/PaymentResponse',
    );
    expect(JSON.stringify(schemas.CreatePaymentRequest)).toContain('payment_method');
    expect(JSON.stringify(schemas.CardRequest)).toContain('4242424242424242');
    expect(schemas.PaymentEventListResponse).toBeDefined();
    expect(schemas.DailyReportResponse).toBeDefined();
    expect(Object.keys((create.responses['200'] as ResponseObject).headers ?? {})).toContain(
      'Idempotent-Replayed',
    );
  });

  it('documents the list filters under their query names, created[gte] and created[lte] included', () => {
    const names = (path: string) =>
      (operation(path, 'get').parameters ?? []).map((p) => ('name' in p ? p.name : p.$ref));
    expect(names('/v2/payments')).toEqual(
      expect.arrayContaining([
        'limit',
        'starting_after',
        'ending_before',
        'status',
        'customer',
        'created[gte]',
        'created[lte]',
      ]),
    );
    expect(names('/v2/reports/daily')).toEqual(expect.arrayContaining(['from', 'to', 'currency']));
    expect(names('/v2/events')).toEqual(
      expect.arrayContaining([
        'limit',
        'starting_after',
        'ending_before',
        'type',
        'created[gte]',
        'created[lte]',
      ]),
    );
  });

  it('documents the events routes, their envelope and their errors', () => {
    const list = operation('/v2/events', 'get');
    const get = operation('/v2/events/{id}', 'get');
    expect(list.tags).toEqual(['Events']);
    expect(list.responses['400']).toBeDefined();
    expect(get.responses['404']).toBeDefined();
    const schemaOf = (op: OperationObject) =>
      ((op.responses['200'] as ResponseObject).content?.['application/json']?.schema ?? {}) as {
        $ref?: string;
      };
    expect(schemaOf(list).$ref).toBe('#/components/schemas/EventListResponse');
    expect(schemaOf(get).$ref).toBe('#/components/schemas/EventResponse');
    const envelope = document.components?.schemas?.EventResponse as {
      required?: string[];
      properties?: Record<string, { enum?: unknown[] }>;
    };
    expect(envelope.required).toEqual([
      'id',
      'type',
      'schema_version',
      'created_at',
      'merchant_id',
      'data',
      'sequence',
    ]);
    expect(envelope.properties?.type?.enum).toContain('customer.deleted');
  });

  it('declares the bearer scheme and requires it on every API route', () => {
    expect(document.components?.securitySchemes?.api_key).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const [name, op] of apiOperations()) {
      expect({ name, security: op.security }).toEqual({ name, security: [{ api_key: [] }] });
    }
  });

  it('documents the error responses of every API route with the error schema', () => {
    for (const [name, op] of apiOperations()) {
      for (const status of ['401', '429', '500', '503', '504']) {
        const response = op.responses[status] as ResponseObject | undefined;
        expect({ name, status, schema: response?.content?.['application/json']?.schema }).toEqual({
          name,
          status,
          schema: { $ref: '#/components/schemas/ErrorResponse' },
        });
      }
    }
    expect(document.components?.schemas?.ErrorResponse).toBeDefined();
    expect(JSON.stringify(document.components?.schemas?.ErrorObject)).toContain('request_id');
  });

  it('documents the headers: Idempotency-Key in, Request-Id, Idempotent-Replayed and Retry-After out', () => {
    const create = operation('/v2/customers', 'post');
    expect(create.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
    );
    const ok = create.responses['200'] as ResponseObject;
    expect(Object.keys(ok.headers ?? {})).toEqual(
      expect.arrayContaining(['Request-Id', 'Idempotent-Replayed']),
    );
    expect(Object.keys((create.responses['429'] as ResponseObject).headers ?? {})).toContain(
      'Retry-After',
    );
    expect(create.responses['409']).toBeDefined();
  });

  it('documents request and response schemas with examples', () => {
    const schemas = document.components?.schemas ?? {};
    expect(JSON.stringify(schemas.CreateCustomerRequest)).toContain('customer@example.com');
    expect(schemas.CustomerResponse).toBeDefined();
    expect(schemas.CustomerListResponse).toBeDefined();
  });
});
