import type { OpenAPIObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { fillPath, operationsOf, withField } from './openapi-operations';

const list = (ref: string) => ({
  200: {
    description: 'A page.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { data: { type: 'array', items: { $ref: ref } } },
        },
      },
    },
  },
});

const document = {
  openapi: '3.0.0',
  info: { title: 'test', version: '1' },
  components: {
    schemas: {
      Order: { type: 'object', properties: { id: { type: 'string', example: 'ord_1234567890' } } },
      Shipping: {
        type: 'object',
        properties: { address: { $ref: '#/components/schemas/Address' } },
      },
      Address: {
        type: 'object',
        properties: {
          line1: { type: 'string' },
          warehouse: { type: 'string', description: 'Where from (whs_…).' },
        },
      },
      CreateOrder: {
        type: 'object',
        properties: {
          customer: { type: 'string', example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' },
          shipping: { $ref: '#/components/schemas/Shipping' },
          note: { type: 'string', example: 'gift_wrap' },
        },
      },
    },
  },
  paths: {
    '/orders': {
      get: {
        operationId: 'list',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'number' } },
          { name: 'starting_after', in: 'query', description: 'An object id.' },
          { name: 'customer', in: 'query', description: 'Of this customer (cust_…).' },
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['open'] } },
        ],
        responses: list('#/components/schemas/Order'),
      },
      post: {
        operationId: 'create',
        parameters: [{ name: 'Idempotency-Key', in: 'header' }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateOrder' } } },
        },
        responses: {},
      },
    },
    '/orders/{id}/lines/{line}': {
      delete: {
        operationId: 'removeLine',
        parameters: [
          { name: 'id', in: 'path', description: 'The order (ord_…).' },
          { name: 'line', in: 'path', description: 'A line number.' },
        ],
        responses: {},
      },
    },
  },
} as unknown as OpenAPIObject;

describe('operationsOf', () => {
  const operations = operationsOf(document);
  const named = (id: string) => operations.find((operation) => operation.operationId === id);

  it('finds every operation of every path', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      'get /orders',
      'post /orders',
      'delete /orders/{id}/lines/{line}',
    ]);
  });

  it('reads the kind a query parameter names, cursors naming what the list returns', () => {
    expect(named('list')).toMatchObject({
      queryIds: [
        { name: 'starting_after', prefix: 'ord' },
        { name: 'customer', prefix: 'cust' },
      ],
      returns: { prefix: 'ord', list: true },
      problems: [],
    });
    expect(named('list')?.queryFilters.map((p) => p.name)).toEqual(['limit', 'status']);
  });

  it('finds body fields naming a resource at any depth, by example or description', () => {
    expect(named('create')).toMatchObject({
      bodyIds: [
        { name: 'customer', prefix: 'cust' },
        { name: 'shipping.address.warehouse', prefix: 'whs' },
      ],
      hasBody: true,
      bodyRequired: true,
      idempotent: true,
    });
  });

  it('reports a path parameter whose kind the document does not say', () => {
    expect(named('removeLine')).toMatchObject({
      pathIds: [{ name: 'id', prefix: 'ord' }],
      problems: ['DELETE /orders/{id}/lines/{line}: {line} names no resource kind'],
    });
  });
});

describe('fillPath and withField', () => {
  it('fills each path parameter, encoded', () => {
    expect(fillPath('/a/{id}/b/{x}', { id: 'ord_1', x: 'a/b' })).toBe('/a/ord_1/b/a%2Fb');
    expect(() => fillPath('/a/{id}', {})).toThrow('{id}');
  });

  it('sets a nested field on a copy', () => {
    const body = { shipping: { line1: 'x' } };
    expect(withField(body, 'shipping.address.warehouse', 'whs_1')).toEqual({
      shipping: { line1: 'x', address: { warehouse: 'whs_1' } },
    });
    expect(body).toEqual({ shipping: { line1: 'x' } });
  });
});
