import { idPattern, IdPrefixes, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { checkPayload } from '../../endpoints/domain/endpoint-input';
import { eventNotFound, invalidRequest } from '../../webhooks.errors';
import { EventRepository } from '../event.repository';

const EVENT_ID = idPattern(IdPrefixes.event);

/** events.get: one of the merchant's events; another merchant's is as unknown as a made-up id. */
@HandlesRequest(RequestTopics.events.get)
export class GetEventHandler {
  constructor(private readonly events: EventRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.events.get>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const { id } = body.value;
    if (typeof id !== 'string' || !EVENT_ID.test(id)) return eventNotFound();
    const event = await this.events.find(meta.merchantId, id);
    return event === null ? eventNotFound() : ok(event);
  }
}
