import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  newId,
  ok,
  RequestTopics,
  type CreateWebhookEndpointPayload,
  type ServiceReply,
  type ServiceRequest,
  type WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import { MessageController } from '@finfusion/runtime';
import { generateSecret } from '../../delivery/signer';
import { invalidRequest } from '../../webhooks.errors';
import { createEndpoint, toWebhookEndpoint } from '../domain/endpoint';
import { checkEvents, checkMetadata, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';
import { EndpointUrlPolicy } from '../endpoint-url.policy';

@MessageController()
export class CreateEndpointHandler {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly urls: EndpointUrlPolicy,
  ) {}

  @MessagePattern(RequestTopics.webhooks.create)
  async handle(
    @Payload() { meta, payload }: ServiceRequest<CreateWebhookEndpointPayload>,
  ): Promise<ServiceReply<WebhookEndpointWithSecret>> {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const events = checkEvents(body.value.events);
    if (!events.ok) return invalidRequest(events);
    const metadata =
      body.value.metadata === undefined ? undefined : checkMetadata(body.value.metadata);
    if (metadata?.ok === false) return invalidRequest(metadata);
    const url = await this.urls.check(body.value.url);
    if (!url.ok) return invalidRequest(url);

    const state = createEndpoint(
      {
        id: newId('whk'),
        merchantId: meta.merchantId,
        url: url.value,
        events: events.value,
        metadata: metadata?.value,
        idempotencyKey: meta.idempotencyKey,
      },
      new Date(),
    );
    const secret = generateSecret();
    return this.endpoints.transaction(async (manager) => {
      if (await this.endpoints.insert(manager, state, secret)) {
        return ok({ ...toWebhookEndpoint(state), secret });
      }
      // Only a taken idempotency key makes the insert a no-op: answer with that endpoint.
      const first =
        meta.idempotencyKey === undefined
          ? null
          : await this.endpoints.createdWithKey(manager, meta.merchantId, meta.idempotencyKey);
      const firstSecret = first ? await this.endpoints.newestSecret(manager, first.id) : undefined;
      if (!first || firstSecret === undefined) {
        throw new Error('endpoint insert skipped without an idempotency key holder');
      }
      return ok({ ...toWebhookEndpoint(first), secret: firstSecret });
    });
  }
}
