import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { PublicEventType } from '../events';
import {
  customerCreatedSchema,
  customerDeletedSchema,
  customerUpdatedSchema,
} from './customer-events.schema';
import type { JsonSchema } from './common.schema';
import { paymentEventSchemas } from './payment-events.schema';
import { refundEventSchemas } from './refund-events.schema';

/** The JSON Schema of every public event type, at its current version. */
export const publicEventSchemas: Readonly<Record<PublicEventType, JsonSchema>> = {
  'customer.created': customerCreatedSchema,
  'customer.updated': customerUpdatedSchema,
  'customer.deleted': customerDeletedSchema,
  ...paymentEventSchemas,
  ...refundEventSchemas,
};

let validators: Map<string, ValidateFunction> | undefined;

// Compiled once, on first use, so importing the contracts costs nothing to apps that never validate.
function validatorFor(type: string): ValidateFunction | undefined {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    validators = new Map(
      Object.entries(publicEventSchemas).map(([name, schema]) => [name, ajv.compile(schema)]),
    );
  }
  return validators.get(type);
}

/**
 * Checks an event against the schema of its `type` at its current version: what the services
 * publish (an event of a superseded version is refused). Returns the problems, one line each
 * (`/data/object/email: must match pattern "@"`); an empty list means valid.
 */
export function validatePublicEvent(event: unknown): string[] {
  const type =
    typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return ['/type: must be a string naming a public event type'];
  const validate = validatorFor(type);
  if (!validate) return [`/type: no schema for event type "${type}"`];
  if (validate(event)) return [];
  return (validate.errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '/' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
        : '';
    return `${where}: ${error.message ?? error.keyword}${extra}`;
  });
}
