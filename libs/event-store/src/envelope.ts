import {
  CloudEventHeaders,
  cloudEventSourceOf,
  EventHeaders,
  PublicSchemaVersions,
  schemaIdOf,
  type PublicEvent,
  type PublicEventType,
} from '@finfusion/contracts';
import type { StoredEvent } from './event-store';

/** What only the service knows of an event's public envelope; the log gives the rest. */
export interface EnvelopeContent<T, K extends PublicEventType> {
  type: K;
  /** When the fact happened (ISO 8601), as the deciding code's clock said. */
  occurredAt: string;
  merchantId: string;
  /** The resource as GET returns it just after the event. */
  object: T;
}

/**
 * The public envelope of a stored event (see PublicEvent for each field's meaning). The stored
 * event id is the public id and its stream version the sequence, so every redelivery of one
 * event carries the same ones.
 */
export function publicEventOf<T, K extends PublicEventType>(
  stored: StoredEvent,
  content: EnvelopeContent<T, K>,
): PublicEvent<T, K> {
  return {
    id: stored.eventId,
    type: content.type,
    schema_version: PublicSchemaVersions[content.type],
    created_at: content.occurredAt,
    merchant_id: content.merchantId,
    data: { object: content.object },
    sequence: stored.streamVersion,
  };
}

/**
 * When a stored event happened, for a log whose event data does not say: the time its metadata
 * recorded, or, for an event appended before metadata carried it, when it was written.
 */
export const recordedOccurrence = (stored: StoredEvent): string =>
  stored.metadata.occurredAt ?? stored.recordedAt.toISOString();

/** A record of an event topic (structurally a Kafka producer's message). */
export interface EventRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * The record of a public event: keyed by its stream (so one resource's events stay in order on
 * one partition), with the headers consumers route on without parsing the body, and the
 * CloudEvents attributes (binary mode: the envelope is the event's data), so CloudEvents tooling
 * reads the same records as events with the envelope's id, type and time.
 */
export function eventRecord(event: PublicEvent, stored: StoredEvent): EventRecord {
  const { correlationId, requestId } = stored.metadata;
  return {
    key: stored.streamId,
    value: JSON.stringify(event),
    headers: {
      [EventHeaders.type]: event.type,
      [EventHeaders.schemaVersion]: String(event.schema_version),
      [EventHeaders.merchantId]: event.merchant_id,
      ...(correlationId !== undefined && { [EventHeaders.correlationId]: correlationId }),
      ...(requestId !== undefined && { [EventHeaders.requestId]: requestId }),
      [CloudEventHeaders.specVersion]: '1.0',
      [CloudEventHeaders.id]: event.id,
      [CloudEventHeaders.source]: cloudEventSourceOf(event.type),
      [CloudEventHeaders.type]: event.type,
      [CloudEventHeaders.time]: event.created_at,
      [CloudEventHeaders.subject]: stored.streamId,
      [CloudEventHeaders.dataSchema]: schemaIdOf(event.type, event.schema_version),
      [CloudEventHeaders.merchantId]: event.merchant_id,
      [CloudEventHeaders.contentType]: 'application/json',
    },
  };
}
