import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { PublicEvent } from '@finfusion/contracts';
import { ReceivedEventEntity } from '../intake/received-event.entity';
import type { EventFilter } from './domain/list-events.request';

/** The columns a page of events is ordered by, newest first (`paginate`). */
export const EVENT_PAGE_KEYS = { createdAt: 'created_at', id: 'event_id' } as const;

/**
 * The merchant's events as the intake took them in (received_events), for the events API. Each is
 * answered with the record's value as received: the very JSON its webhooks carried.
 */
@Injectable()
export class EventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The merchant's events that pass the filter, for `paginate` with EVENT_PAGE_KEYS. */
  list(merchantId: string, filter: EventFilter): SelectQueryBuilder<ReceivedEventEntity> {
    let query = this.dataSource
      .getRepository(ReceivedEventEntity)
      .createQueryBuilder('event')
      .select(['event.eventId', 'event.createdAt', 'event.body'])
      .where('event.merchant_id = :merchantId', { merchantId });
    if (filter.type !== undefined) {
      query = query.andWhere('event.event_type = :type', { type: filter.type });
    }
    if (filter.createdGte !== undefined) {
      query = query.andWhere('event.created_at >= :gte', { gte: filter.createdGte });
    }
    if (filter.createdLte !== undefined) {
      query = query.andWhere('event.created_at <= :lte', { lte: filter.createdLte });
    }
    return query;
  }

  /** One of the merchant's events; null for an unknown id and for another merchant's event. */
  async find(merchantId: string, eventId: string): Promise<PublicEvent | null> {
    const row = await this.dataSource
      .getRepository(ReceivedEventEntity)
      .findOne({ select: { body: true }, where: { eventId, merchantId } });
    return row === null ? null : toPublicEvent(row);
  }
}

/** The envelope as its webhooks carried it (key order included), from the body kept. */
export const toPublicEvent = (row: Pick<ReceivedEventEntity, 'body'>): PublicEvent =>
  JSON.parse(row.body) as PublicEvent;
