import { ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint } from '../domain/endpoint';
import { checkId, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

@HandlesRequest(RequestTopics.webhooks.get)
export class GetEndpointHandler {
  constructor(private readonly endpoints: EndpointRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.get>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const id = checkId(body.value.id);
    if (!id.ok) return invalidRequest(id);
    const endpoint = await this.endpoints.findLive(meta.merchantId, id.value);
    return endpoint ? ok(toWebhookEndpoint(endpoint)) : endpointNotFound();
  }
}
