import { RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import { checkPayload } from '../../endpoints/domain/endpoint-input';
import { invalidRequest } from '../../webhooks.errors';
import { parseListEvents } from '../domain/list-events.request';
import { EVENT_PAGE_KEYS, EventRepository, toPublicEvent } from '../event.repository';

/** events.list: the merchant's events, newest first by when they happened, filtered. */
@HandlesRequest(RequestTopics.events.list)
export class ListEventsHandler {
  constructor(private readonly events: EventRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.events.list>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const parsed = parseListEvents(body.value);
    if (!parsed.ok) return invalidRequest(parsed);
    const { page, filter } = parsed.value;
    return paginate(
      this.events.list(meta.merchantId, filter),
      page,
      toPublicEvent,
      EVENT_PAGE_KEYS,
    );
  }
}
