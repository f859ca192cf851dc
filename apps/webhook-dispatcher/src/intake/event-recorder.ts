import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { instantOf, newId, PublicEventTypes, type PublicEvent } from '@finfusion/contracts';
import type { ConsumedRecord } from '@finfusion/kafka';
import type { TraceContext } from '@finfusion/tracing';
import { DispatcherConfig } from '../config';
import { queryRows, tableOf } from '../database';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { tooOldToDeliver } from '../deliveries/domain/event-age';
import { firstAttempt } from '../deliveries/domain/retry-policy';
import { subscribesTo, type EndpointState } from '../endpoints/domain/endpoint';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { eraseDeletedCustomers } from './customer-erasure';
import { ReceivedEventEntity } from './received-event.entity';

/**
 * Takes in one event record: records the event once, and in the same transaction one delivery
 * for each active endpoint of its merchant subscribed to its type (and, for a customer's
 * deletion, erases its personal data from the customer's stored events: customer-erasure.ts). A redelivered record finds
 * the event recorded and adds nothing, so each (event, endpoint) gets one delivery.
 */
@Injectable()
export class EventRecorder {
  constructor(
    private readonly config: DispatcherConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** Returns the event and the number of deliveries created (0 for a redelivered event). */
  async record(
    record: ConsumedRecord,
    trace?: TraceContext,
  ): Promise<{ event: PublicEvent; deliveries: number }> {
    const event = parseEnvelope(record.value);
    const deliveries = await this.planDeliveries(event, record, trace);
    return { event, deliveries };
  }

  /**
   * Takes in a fetched batch in one transaction: the events not yet recorded, and their
   * deliveries. Returns how many deliveries were created. Throws (and records nothing) when any
   * record is not an event envelope; the caller then takes the records one by one. `traces`:
   * each record's intake span, kept with its event (tracing on).
   */
  async recordBatch(
    records: ConsumedRecord[],
    traces?: ReadonlyMap<ConsumedRecord, TraceContext>,
  ): Promise<number> {
    const received = new Map<string, { event: PublicEvent; record: ConsumedRecord }>();
    for (const record of records) {
      const event = parseEnvelope(record.value);
      received.set(event.id, { event, record });
    }
    const batch = [...received.values()];
    return this.dataSource.transaction(async (manager) => {
      const inserted = await queryRows<{ event_id: string }>(
        manager,
        `INSERT INTO ${tableOf(manager, ReceivedEventEntity)}
           (event_id, topic, event_type, merchant_id, envelope, body, traceparent, tracestate,
            created_at)
         SELECT event_id, topic, event_type, merchant_id, body::jsonb, body, traceparent,
                tracestate, coalesce(created_at, now())
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::timestamptz[])
             AS r (event_id, topic, event_type, merchant_id, body, traceparent, tracestate,
                   created_at)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [
          batch.map(({ event }) => event.id),
          batch.map(({ record }) => record.topic),
          batch.map(({ event }) => event.type),
          batch.map(({ event }) => event.merchant_id),
          batch.map(({ record }) => record.value ?? ''),
          batch.map(({ record }) => traces?.get(record)?.traceparent ?? null),
          batch.map(({ record }) => traces?.get(record)?.tracestate ?? null),
          batch.map(({ event }) => createdAtOf(event)),
        ],
      );
      if (inserted.length === 0) return 0;
      const taken = inserted.flatMap(({ event_id }) => received.get(event_id)?.event ?? []);
      await eraseDeletedCustomers(manager, taken);
      const fresh = taken.filter((event) => this.deliverable(event));
      if (fresh.length === 0) return 0;

      const endpoints = await queryRows<Pick<EndpointState, 'id' | 'events'> & MerchantOwned>(
        manager,
        `SELECT id, merchant_id, events FROM ${tableOf(manager, EndpointEntity)}
         WHERE merchant_id = ANY($1::text[]) AND status = 'active' AND deleted_at IS NULL`,
        [[...new Set(fresh.map((event) => event.merchant_id))]],
      );
      const schedule = this.config.WEBHOOK_RETRY_SCHEDULE;
      const planned = fresh.flatMap((event) =>
        endpoints
          .filter((e) => e.merchant_id === event.merchant_id && subscribesTo(e.events, event.type))
          .map((endpoint) => ({
            id: newId('whd'),
            endpointId: endpoint.id,
            event,
            first: firstAttempt(schedule, Math.random),
          })),
      );
      if (planned.length === 0) return 0;
      const created = await queryRows(
        manager,
        `INSERT INTO ${tableOf(manager, DeliveryEntity)}
           (id, merchant_id, endpoint_id, event_id, event_type, status, attempts, max_attempts,
            next_attempt_at, created_at, updated_at)
         SELECT planned.id, planned.merchant_id, planned.endpoint_id, planned.event_id,
                planned.event_type, 'pending', 0, planned.max_attempts,
                now() + planned.delay_ms * interval '1 millisecond', now(), now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[],
                     $7::integer[])
           AS planned (id, merchant_id, endpoint_id, event_id, event_type, max_attempts, delay_ms)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING
         RETURNING id`,
        [
          planned.map((p) => p.id),
          planned.map((p) => p.event.merchant_id),
          planned.map((p) => p.endpointId),
          planned.map((p) => p.event.id),
          planned.map((p) => p.event.type),
          planned.map((p) => p.first.maxAttempts),
          planned.map((p) => p.first.delayMs),
        ],
      );
      return created.length;
    });
  }

  /** Recorded, but not delivered, when too old to know whether it was (tooOldToDeliver). */
  private deliverable(event: PublicEvent): boolean {
    return !tooOldToDeliver(
      event.created_at,
      new Date(),
      this.config.WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS,
    );
  }

  private planDeliveries(
    event: PublicEvent,
    record: ConsumedRecord,
    trace: TraceContext | undefined,
  ): Promise<number> {
    const body = record.value ?? '';
    return this.dataSource.transaction(async (manager) => {
      const inserted = await queryRows(
        manager,
        `INSERT INTO ${tableOf(manager, ReceivedEventEntity)}
           (event_id, topic, event_type, merchant_id, envelope, body, traceparent, tracestate,
            created_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, coalesce($9::timestamptz, now()))
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [
          event.id,
          record.topic,
          event.type,
          event.merchant_id,
          body,
          body,
          trace?.traceparent ?? null,
          trace?.tracestate ?? null,
          createdAtOf(event),
        ],
      );
      if (inserted.length === 0) return 0;
      await eraseDeletedCustomers(manager, [event]);
      if (!this.deliverable(event)) return 0;

      const endpoints = await queryRows<Pick<EndpointState, 'id' | 'events'>>(
        manager,
        `SELECT id, events FROM ${tableOf(manager, EndpointEntity)}
         WHERE merchant_id = $1 AND status = 'active' AND deleted_at IS NULL`,
        [event.merchant_id],
      );
      const subscribed = endpoints.filter((endpoint) => subscribesTo(endpoint.events, event.type));
      if (subscribed.length === 0) return 0;

      const first = firstAttempt(this.config.WEBHOOK_RETRY_SCHEDULE, Math.random);
      const created = await queryRows(
        manager,
        `INSERT INTO ${tableOf(manager, DeliveryEntity)}
           (id, merchant_id, endpoint_id, event_id, event_type, status, attempts, max_attempts,
            next_attempt_at, created_at, updated_at)
         SELECT planned.id, $3, planned.endpoint_id, $4, $5, 'pending', 0, $6,
                now() + $7::integer * interval '1 millisecond', now(), now()
         FROM unnest($1::text[], $2::text[]) AS planned (id, endpoint_id)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING
         RETURNING id`,
        [
          subscribed.map(() => newId('whd')),
          subscribed.map((endpoint) => endpoint.id),
          event.merchant_id,
          event.id,
          event.type,
          first.maxAttempts,
          first.delayMs,
        ],
      );
      return created.length;
    });
  }
}

interface MerchantOwned {
  merchant_id: string;
}

/**
 * When the event happened, as its envelope says: the time the events list orders and filters by.
 * An envelope without a readable one is listed by its intake time (null: the insert's now()).
 */
const createdAtOf = (event: PublicEvent): Date | null => instantOf(event.created_at) ?? null;

/** The fields delivery relies on; the body itself is passed on as received. */
export function parseEnvelope(value: string | null): PublicEvent {
  const parsed: unknown = JSON.parse(value ?? 'null');
  const event = parsed as Partial<PublicEvent> | null;
  if (
    typeof event?.id !== 'string' ||
    typeof event.merchant_id !== 'string' ||
    !PublicEventTypes.includes(event.type as PublicEvent['type'])
  ) {
    throw new Error('record is not a public event envelope');
  }
  return event as PublicEvent;
}
