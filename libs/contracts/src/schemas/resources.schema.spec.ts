import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './common.schema';
import { customerListSchema, customerSchema, deletedCustomerSchema } from './customer.schema';
import { customerEventSchema } from './customer-events.schema';
import { publicEventSchema } from './envelope.schema';
import { eventListSchema, eventSchema } from './event.schema';
import {
  dailyReportSchema,
  paymentEventListSchema,
  paymentListSchema,
  paymentSchema,
} from './payment.schema';
import { refundListSchema, refundSchema } from './refund.schema';
import {
  deletedWebhookEndpointSchema,
  webhookDeliveryListSchema,
  webhookEndpointListSchema,
  webhookEndpointWithSecretSchema,
} from './webhook.schema';

type Node = Record<string, unknown>;

/**
 * A whole example of a schema, built from the examples of its parts: a required property takes
 * its example, an object or array is built from its properties or items.
 */
function exampleOf(schema: Node): unknown {
  if (Array.isArray(schema.examples)) return schema.examples[0] as unknown;
  if (Array.isArray(schema.allOf)) return exampleOf(schema.allOf[0] as Node);
  if (Array.isArray(schema.oneOf)) return exampleOf(schema.oneOf[0] as Node);
  if (Array.isArray(schema.anyOf)) return exampleOf(schema.anyOf[0] as Node);
  if (schema.const !== undefined) return schema.const;
  if (schema.type === 'array') return [exampleOf(schema.items as Node)];
  if (schema.properties === undefined) return {};
  const properties = schema.properties as Record<string, Node>;
  const required = (schema.required ?? []) as string[];
  return Object.fromEntries(required.map((name) => [name, exampleOf(properties[name] ?? {})]));
}

const resources: [string, JsonSchema][] = Object.entries({
  customerSchema,
  customerListSchema,
  deletedCustomerSchema,
  customerEventSchema,
  paymentSchema,
  paymentListSchema,
  paymentEventListSchema,
  dailyReportSchema,
  refundSchema,
  refundListSchema,
  webhookEndpointWithSecretSchema,
  webhookEndpointListSchema,
  deletedWebhookEndpointSchema,
  webhookDeliveryListSchema,
  eventSchema,
  eventListSchema,
});

describe('resource schemas', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date-time', 'date']);

  it.each(resources)('%s compiles strictly and accepts its own examples', (_, schema) => {
    const validate = ajv.compile(schema);
    const example = exampleOf(schema);
    expect({ valid: validate(example), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null,
    });
  });

  it('documents every property of a resource with an example or a nested shape', () => {
    const missing = [
      ...Object.entries(paymentSchema.properties),
      ...Object.entries(refundSchema.properties),
    ].filter(([, property]) => !('examples' in property) && !('properties' in property));
    expect(missing).toEqual([]);
  });

  it('leaves the object of an envelope open, for consumers that read the type first', () => {
    const validate = ajv.compile(publicEventSchema);
    const event = exampleOf(customerEventSchema) as Node;
    expect(validate({ ...event, type: 'payment.created', data: { object: { any: 1 } } })).toBe(
      true,
    );
  });
});
