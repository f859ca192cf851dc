import { PublicEventTypes, type PublicEventType } from '../events';
import { IdPrefixes } from '../ids';
import { idSchema, JSON_SCHEMA_DIALECT, timestampSchema, type SchemaOf } from './common.schema';

/** Where the published schemas live; an `$id` names one type at one schema version. */
export const schemaIdOf = (type: PublicEventType, schemaVersion: number): string =>
  `https://api.finfusion.cloud/schemas/events/${type}.v${schemaVersion}.json`;

/** The fields of the envelope that differ by event type. */
export interface EnvelopeParts<
  Type extends SchemaOf,
  Version extends SchemaOf,
  Object extends SchemaOf,
  Sequence extends SchemaOf,
> {
  type: Type;
  schemaVersion: Version;
  /** The schema of `data.object`: the resource as GET returns it after the event. */
  object: Object;
  /** Narrows `sequence`, e.g. a creation is always the stream's first event. */
  sequence: Sequence;
}

/**
 * The public envelope: the same JSON on Kafka, in a webhook body and in an events list. It is a
 * closed contract: a field outside it is a mistake, not an extension, so additionalProperties is
 * false.
 */
export const envelopeSchema = <
  const Type extends SchemaOf,
  const Version extends SchemaOf,
  const Object extends SchemaOf,
  const Sequence extends SchemaOf,
>(
  parts: EnvelopeParts<Type, Version, Object, Sequence>,
) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'schema_version', 'created_at', 'merchant_id', 'data', 'sequence'],
    properties: {
      id: {
        ...idSchema(IdPrefixes.event, 'evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np'),
        description:
          'Stable: the same id on Kafka, in webhooks and on every redelivery, so consumers can ' +
          'deduplicate.',
      },
      type: parts.type,
      schema_version: parts.schemaVersion,
      created_at: {
        ...timestampSchema,
        description:
          'When the event happened (as the service decided it), not when it was written or ' +
          'delivered.',
        examples: ['2026-03-15T10:30:01.250Z'],
      },
      merchant_id: idSchema(IdPrefixes.merchant, 'mer_2Np3Rw7Hc2kQx9Lm4Tz1Vb'),
      data: {
        type: 'object',
        additionalProperties: false,
        required: ['object'],
        properties: { object: parts.object },
      },
      sequence: parts.sequence,
    },
  }) as const;

/** The stream version of any event: 1, 2, 3… per resource id. */
export const sequenceSchema = {
  type: 'integer',
  minimum: 1,
  description: "The resource's stream version after this event: 1, 2, 3… per resource id.",
  examples: [1],
} as const satisfies SchemaOf;

/** Any public event, its object left open: what a consumer knows before it reads the type. */
export const publicEventSchema = envelopeSchema({
  type: { type: 'string', enum: PublicEventTypes },
  schemaVersion: { type: 'integer', minimum: 1 },
  object: {},
  sequence: sequenceSchema,
});

export interface PublishedEventOptions<Object extends SchemaOf, Sequence extends SchemaOf> {
  type: PublicEventType;
  schemaVersion: number;
  title: string;
  description: string;
  object: Object;
  sequence: Sequence;
}

/** One event type at one schema version, as published: its own `$id`, type and version. */
export const publishedEventSchema = <Object extends SchemaOf, Sequence extends SchemaOf>(
  options: PublishedEventOptions<Object, Sequence>,
) => ({
  $schema: JSON_SCHEMA_DIALECT,
  $id: schemaIdOf(options.type, options.schemaVersion),
  title: options.title,
  description: options.description,
  ...envelopeSchema({
    type: { type: 'string', const: options.type },
    schemaVersion: { type: 'integer', const: options.schemaVersion },
    object: options.object,
    sequence: options.sequence,
  }),
});
