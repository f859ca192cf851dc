import { IdPrefixes, idPattern, type IdPrefix } from '../ids';
import type { PublicEventType } from '../events';

/** A JSON Schema document (draft 2020-12), kept as plain data so it can be published as is. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Where the published schemas live; an `$id` names one type at one schema version. */
export const schemaIdOf = (type: PublicEventType, schemaVersion: number): string =>
  `https://api.finfusion.cloud/schemas/events/${type}.v${schemaVersion}.json`;

export const idSchema = (prefix: IdPrefix): JsonSchema => ({
  type: 'string',
  pattern: idPattern(prefix).source,
});

export const timestampSchema: JsonSchema = { type: 'string', format: 'date-time' };

export interface EnvelopeOptions {
  type: PublicEventType;
  schemaVersion: number;
  title: string;
  description: string;
  /** The schema of `data.object`: the resource as GET returns it after the event. */
  object: JsonSchema;
  /** Narrows `sequence`, e.g. a creation is always the stream's first event. */
  sequence?: JsonSchema;
}

/**
 * The public envelope around one event type. The envelope is a closed contract: a field
 * outside it is a mistake, not an extension, so additionalProperties is false.
 */
export const envelopeSchema = (options: EnvelopeOptions): JsonSchema => ({
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaIdOf(options.type, options.schemaVersion),
  title: options.title,
  description: options.description,
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'schema_version', 'created_at', 'merchant_id', 'data', 'sequence'],
  properties: {
    id: {
      ...idSchema(IdPrefixes.event),
      description: 'Stable event id: the same on every redelivery, so consumers can deduplicate.',
    },
    type: { type: 'string', const: options.type },
    schema_version: { type: 'integer', const: options.schemaVersion },
    created_at: {
      ...timestampSchema,
      description:
        'When the event happened (as the service decided it), not when it was written or delivered.',
    },
    merchant_id: idSchema(IdPrefixes.merchant),
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['object'],
      properties: { object: options.object },
    },
    sequence: options.sequence ?? {
      type: 'integer',
      minimum: 1,
      description: "The aggregate's stream version after this event: 1, 2, 3… per aggregate id.",
    },
  },
});
