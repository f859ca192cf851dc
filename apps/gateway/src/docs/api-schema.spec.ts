import { addApiSchemas, apiSchema, toOpenApi } from './api-schema';

const card = { type: 'object', properties: { last4: { type: 'string' } } };
const wallet = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://example.com/wallet.json',
  type: 'object',
  additionalProperties: false,
  required: ['object', 'card', 'backup', 'label', 'tags'],
  properties: {
    object: { type: 'string', const: 'wallet', examples: ['wallet', 'other'] },
    card,
    backup: { anyOf: [card, { type: 'null' }], description: 'A second card.', examples: [null] },
    label: { type: ['string', 'null'], maxLength: 20 },
    status: { anyOf: [{ type: 'string', enum: ['on', 'off'] }, { type: 'null' }] },
    tags: {
      type: 'object',
      propertyNames: { maxLength: 5 },
      additionalProperties: { type: 'string' },
    },
    items: { type: 'array', items: card, description: 'Oldest first.' },
    last: { allOf: [card], description: 'The latest card.' },
  },
};
const Card = apiSchema('TestCard', card);
const Wallet = apiSchema('TestWallet', wallet);

describe('toOpenApi', () => {
  const converted = toOpenApi(Wallet.schema, Wallet.schema) as Record<string, unknown>;
  const property = (name: string): unknown =>
    (converted.properties as Record<string, unknown>)[name];

  it('drops what names the JSON Schema document and keeps the shape', () => {
    expect(converted).not.toHaveProperty('$schema');
    expect(converted).not.toHaveProperty('$id');
    expect(converted).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['object', 'card', 'backup', 'label', 'tags'],
    });
  });

  it('writes const as a one-value enum and the first of the examples as example', () => {
    expect(property('object')).toEqual({ type: 'string', enum: ['wallet'], example: 'wallet' });
  });

  it('refers to an embedded named schema, through allOf where it is nullable or described', () => {
    expect(property('card')).toEqual({ $ref: '#/components/schemas/TestCard' });
    expect(property('backup')).toEqual({
      nullable: true,
      allOf: [{ $ref: '#/components/schemas/TestCard' }],
      description: 'A second card.',
      example: null,
    });
    expect(property('items')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/TestCard' },
      description: 'Oldest first.',
    });
    expect(property('last')).toEqual({
      allOf: [{ $ref: '#/components/schemas/TestCard' }],
      description: 'The latest card.',
    });
  });

  it('writes a null type or a null option as nullable', () => {
    expect(property('label')).toEqual({ type: 'string', nullable: true, maxLength: 20 });
    expect(property('status')).toEqual({ type: 'string', enum: ['on', 'off'], nullable: true });
  });

  it('leaves out propertyNames, which OpenAPI 3.0 cannot say', () => {
    expect(property('tags')).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  it('refuses a keyword it has no faithful form for', () => {
    expect(() => toOpenApi({ type: 'object', dependentRequired: { a: ['b'] } })).toThrow(
      /dependentRequired/,
    );
    expect(() => toOpenApi({ type: ['string', 'integer'] })).toThrow(/type/);
  });

  it('refuses two schemas under one name', () => {
    expect(() => apiSchema('TestCard', { type: 'string' })).toThrow(/TestCard/);
    expect(apiSchema('TestCard', card)).toEqual(Card);
  });
});

describe('addApiSchemas', () => {
  it('adds every named schema to the components, beside those already there', () => {
    const document = addApiSchemas({
      openapi: '3.0.0',
      info: { title: 'test', version: '1' },
      paths: {},
      components: { schemas: { Other: { type: 'string' } } },
    });
    expect(document.components?.schemas).toMatchObject({
      Other: { type: 'string' },
      TestCard: card,
      TestWallet: { type: 'object' },
    });
  });
});
