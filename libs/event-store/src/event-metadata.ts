import { newId, type RequestMeta } from '@finfusion/contracts';
import { currentTraceContext } from '@finfusion/tracing';
import type { EventMetadata, NewEvent } from './event-store';

/**
 * What every event of a request records of it: who asked, which request and chain it was, and
 * (tracing on) the trace context of the span handling it.
 */
export const eventMetadata = (meta: RequestMeta, occurredAt?: Date): EventMetadata => ({
  merchantId: meta.merchantId,
  requestId: meta.requestId,
  correlationId: meta.correlationId,
  ...(meta.idempotencyKey !== undefined && { idempotencyKey: meta.idempotencyKey }),
  ...(occurredAt !== undefined && { occurredAt: occurredAt.toISOString() }),
  ...currentTraceContext(),
});

/** An event as a domain emits it: its type and its data, nothing of the log. */
export interface DomainEvent {
  type: string;
  data: object;
}

/** Domain events ready to append, each with an id of its own (the public event id later). */
export const newEvents = (
  events: readonly DomainEvent[],
  metadata: EventMetadata,
  schemaVersion?: number,
): NewEvent[] =>
  events.map((event) => ({
    eventId: newId('evt'),
    type: event.type,
    ...(schemaVersion !== undefined && { schemaVersion }),
    data: event.data,
    metadata,
  }));
