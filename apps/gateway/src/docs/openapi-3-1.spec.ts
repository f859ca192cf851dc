import { documentTo31, schemaTo31 } from './openapi-3-1';

describe('schemaTo31', () => {
  it('writes nullable as a null in type, and in enum when there is one', () => {
    expect(schemaTo31({ type: 'string', nullable: true, maxLength: 3 })).toEqual({
      type: ['string', 'null'],
      maxLength: 3,
    });
    expect(schemaTo31({ type: 'string', enum: ['a', 'b'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
    expect(schemaTo31({ type: 'string', nullable: false })).toEqual({ type: 'string' });
  });

  it('writes a nullable reference as a choice of it or null, its annotations beside', () => {
    const ref = { $ref: '#/components/schemas/Card' };
    expect(
      schemaTo31({ nullable: true, allOf: [ref], description: 'A card.', example: null }),
    ).toEqual({ anyOf: [ref, { type: 'null' }], description: 'A card.', examples: [null] });
  });

  it('writes example as a one-item examples list, at any depth', () => {
    expect(
      schemaTo31({
        type: 'object',
        example: { a: 1 },
        properties: { a: { type: 'integer', example: 1 } },
        additionalProperties: { type: 'string', example: 'x' },
        items: { oneOf: [{ type: 'string', example: 'y' }] },
      }),
    ).toEqual({
      type: 'object',
      examples: [{ a: 1 }],
      properties: { a: { type: 'integer', examples: [1] } },
      additionalProperties: { type: 'string', examples: ['x'] },
      items: { oneOf: [{ type: 'string', examples: ['y'] }] },
    });
  });

  it('writes boolean exclusive bounds as numbers, and refuses one without its bound', () => {
    expect(schemaTo31({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(schemaTo31({ type: 'number', maximum: 9, exclusiveMaximum: false })).toEqual({
      type: 'number',
      maximum: 9,
    });
    expect(() => schemaTo31({ type: 'number', exclusiveMaximum: true })).toThrow(/maximum/);
  });

  it('leaves data alone: a property named example, and enum and default values', () => {
    const schema = {
      type: 'object',
      properties: { example: { type: 'string' }, nullable: { type: 'boolean' } },
      default: { example: 1, nullable: true },
    };
    expect(schemaTo31(schema)).toEqual(schema);
  });
});

describe('documentTo31', () => {
  it('converts the schemas of components, parameters, bodies, responses and headers', () => {
    const nullable = { type: 'string', nullable: true };
    const upgraded = { type: ['string', 'null'] };
    const document = documentTo31({
      openapi: '3.1.0',
      paths: {
        '/a': {
          parameters: [{ name: 'x', in: 'query', schema: nullable }],
          post: {
            parameters: [{ name: 'y', in: 'header', example: 'kept', schema: nullable }],
            requestBody: { content: { 'application/json': { schema: nullable } } },
            responses: {
              '200': {
                description: 'ok',
                headers: { 'Request-Id': { schema: nullable } },
                content: { 'application/json': { schema: nullable } },
              },
            },
          },
        },
      },
      components: { schemas: { A: nullable }, parameters: { P: { schema: nullable } } },
    });
    expect(document).toEqual({
      openapi: '3.1.0',
      paths: {
        '/a': {
          parameters: [{ name: 'x', in: 'query', schema: upgraded }],
          post: {
            parameters: [{ name: 'y', in: 'header', example: 'kept', schema: upgraded }],
            requestBody: { content: { 'application/json': { schema: upgraded } } },
            responses: {
              '200': {
                description: 'ok',
                headers: { 'Request-Id': { schema: upgraded } },
                content: { 'application/json': { schema: upgraded } },
              },
            },
          },
        },
      },
      components: { schemas: { A: upgraded }, parameters: { P: { schema: upgraded } } },
    });
  });
});
