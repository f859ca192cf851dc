import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ok,
  RequestTopics,
  type GetWebhookEndpointPayload,
  type ServiceReply,
  type ServiceRequest,
  type WebhookEndpoint,
} from '@finfusion/contracts';
import { MessageController } from '@finfusion/runtime';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint } from '../domain/endpoint';
import { checkId, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

@MessageController()
export class GetEndpointHandler {
  constructor(private readonly endpoints: EndpointRepository) {}

  @MessagePattern(RequestTopics.webhooks.get)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<GetWebhookEndpointPayload>,
  ): Promise<ServiceReply<WebhookEndpoint>> {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const id = checkId(body.value.id);
    if (!id.ok) return invalidRequest(id);
    const endpoint = await this.endpoints.findLive(
      this.endpoints.manager,
      meta.merchantId,
      id.value,
    );
    return endpoint ? ok(toWebhookEndpoint(endpoint)) : endpointNotFound();
  }
}
