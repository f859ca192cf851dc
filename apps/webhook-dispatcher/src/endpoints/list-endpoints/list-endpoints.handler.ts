import { RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import { invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint } from '../domain/endpoint';
import { checkListParams, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

@HandlesRequest(RequestTopics.webhooks.list)
export class ListEndpointsHandler {
  constructor(private readonly endpoints: EndpointRepository) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.list>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const params = checkListParams(body.value);
    if (!params.ok) return invalidRequest(params);
    return paginate(this.endpoints.liveEndpoints(meta.merchantId), params.value, toWebhookEndpoint);
  }
}
