import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  RequestTopics,
  type EventList,
  type PublicEvent,
  type RequestMeta,
} from '@finfusion/contracts';
import { ApiErrors, ApiSuccess } from '../docs/api-docs.decorators';
import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';
import { Meta } from '../http/request-meta.decorator';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import { listEventsPayload, ListEventsQuery } from './event.requests';
import { EventListResponse, EventResponse } from './event.responses';

const eventId = new ResourceIdPipe('event');
const idParam = ApiParam({ name: 'id', description: 'The event id (evt_…).' });

/**
 * The merchant's public events, as the webhook dispatcher took them in: the envelopes its
 * webhooks carried (or missed), kept WEBHOOK_RECEIVED_EVENTS_RETENTION_DAYS (30) days.
 */
@ApiController('events', 'Events')
export class EventsController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @ApiOperation({
    operationId: 'listEvents',
    summary: 'List events, newest first',
    description:
      'The events of the last 30 days at least, each the same JSON its webhook body and Kafka ' +
      'record carry, newest first by `created_at` (when the event happened). Filters combine: ' +
      '`type`, and `created[gte]` / `created[lte]` (inclusive ISO 8601 date-times with a zone, ' +
      'e.g. `created[gte]=2026-03-01T00:00:00Z`). Catch up on missed webhooks by listing from ' +
      'the newest event you processed (`ending_before`).',
  })
  @ApiSuccess(EventListResponse, 'A page of events.')
  @ApiErrors(400)
  list(@Query() query: ListEventsQuery, @Meta() meta: RequestMeta): Promise<EventList> {
    return this.services.send(
      RequestTopics.events.list,
      meta,
      listEventsPayload(query),
      meta.requestId,
    );
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getEvent',
    summary: 'Retrieve an event',
    description: 'The event as its webhook body and Kafka record carry it.',
  })
  @idParam
  @ApiSuccess(EventResponse, 'The event.')
  @ApiErrors(404)
  get(@Param('id', eventId) id: string, @Meta() meta: RequestMeta): Promise<PublicEvent> {
    return this.services.send(RequestTopics.events.get, meta, { id }, id);
  }
}
