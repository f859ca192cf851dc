import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ok,
  RequestTopics,
  type ListWebhookEndpointsPayload,
  type ServiceReply,
  type ServiceRequest,
  type WebhookEndpointList,
} from '@finfusion/contracts';
import { MessageController, paginate } from '@finfusion/runtime';
import { invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint } from '../domain/endpoint';
import { checkListParams, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

@MessageController()
export class ListEndpointsHandler {
  constructor(private readonly endpoints: EndpointRepository) {}

  @MessagePattern(RequestTopics.webhooks.list)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<ListWebhookEndpointsPayload>,
  ): Promise<ServiceReply<WebhookEndpointList>> {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const params = checkListParams(body.value);
    if (!params.ok) return invalidRequest(params);
    const page = await paginate(
      this.endpoints.liveEndpoints(meta.merchantId),
      params.value,
      toWebhookEndpoint,
    );
    return 'ok' in page ? page : ok(page);
  }
}
