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

  it('keeps JSON Schema 2020-12 as it is: const, examples, type lists, propertyNames', () => {
    expect(property('object')).toEqual(wallet.properties.object);
    expect(property('label')).toEqual({ type: ['string', 'null'], maxLength: 20 });
    expect(property('status')).toEqual(wallet.properties.status);
    expect(property('tags')).toEqual(wallet.properties.tags);
  });

  it('refers to an embedded named schema wherever it is', () => {
    const ref = { $ref: '#/components/schemas/TestCard' };
    expect(property('card')).toEqual(ref);
    expect(property('backup')).toEqual({
      anyOf: [ref, { type: 'null' }],
      description: 'A second card.',
      examples: [null],
    });
    expect(property('items')).toEqual({ type: 'array', items: ref, description: 'Oldest first.' });
    expect(property('last')).toEqual({ allOf: [ref], description: 'The latest card.' });
  });

  it('leaves data alone: an example shaped like a schema is not one', () => {
    const odd = { type: 'object', examples: [card], const: card };
    expect(toOpenApi(odd)).toEqual(odd);
  });

  it('refuses two schemas under one name', () => {
    expect(() => apiSchema('TestCard', { type: 'string' })).toThrow(/TestCard/);
    expect(apiSchema('TestCard', card)).toEqual(Card);
  });
});

describe('addApiSchemas', () => {
  it('adds every named schema to the components, beside those already there', () => {
    const document = addApiSchemas({
      openapi: '3.1.0',
      info: { title: 'test', version: '1' },
      paths: {},
      components: { schemas: { Other: { type: 'string' } } },
    });
    expect(document.components.schemas).toMatchObject({
      Other: { type: 'string' },
      TestCard: card,
      TestWallet: { type: 'object' },
    });
  });
});
