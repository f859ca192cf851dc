import { newId, ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { DispatcherConfig } from '../../config';
import { generateSecret } from '../../sending/signer';
import { endpointLimitReached, invalidRequest } from '../../webhooks.errors';
import { createEndpoint, mayCreateEndpoint, toWebhookEndpoint } from '../domain/endpoint';
import { checkEvents, checkMetadata, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';
import { EndpointUrlPolicy } from '../endpoint-url.policy';

@HandlesRequest(RequestTopics.webhooks.create)
export class CreateEndpointHandler {
  constructor(
    private readonly config: DispatcherConfig,
    private readonly endpoints: EndpointRepository,
    private readonly urls: EndpointUrlPolicy,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.create>) {
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
      this.clock.now(),
    );
    return this.endpoints.transaction(async (manager) => {
      await this.endpoints.lockMerchant(manager, meta.merchantId);
      // A retry with the same idempotency key gets the endpoint it created, even at the limit.
      const first = await this.endpoints.createdWithKey(manager, meta);
      if (first) {
        const firstSecret = await this.endpoints.newestSecret(manager, first.id);
        if (firstSecret === undefined) throw new Error(`endpoint ${first.id} has no secret`);
        return ok({ ...toWebhookEndpoint(first), secret: firstSecret });
      }
      const max = this.config.WEBHOOK_MAX_ENDPOINTS_PER_MERCHANT;
      if (!mayCreateEndpoint(await this.endpoints.countLive(manager, meta.merchantId), max)) {
        return endpointLimitReached(max);
      }
      const secret = generateSecret();
      if (!(await this.endpoints.insert(manager, state, secret))) {
        throw new Error('endpoint insert skipped though its idempotency key was free');
      }
      return ok({ ...toWebhookEndpoint(state), secret });
    });
  }
}
