import { ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { DispatcherConfig } from '../../config';
import { generateSecret } from '../../sending/signer';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint } from '../domain/endpoint';
import { checkId, checkOverlapSeconds, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

/**
 * A new signing secret, shown in this reply only. The previous one keeps signing beside it for
 * the overlap, so the merchant can deploy the new secret before the old one stops verifying.
 */
@HandlesRequest(RequestTopics.webhooks.rotateSecret)
export class RotateSecretHandler {
  constructor(
    private readonly config: DispatcherConfig,
    private readonly endpoints: EndpointRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.rotateSecret>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const id = checkId(body.value.id);
    if (!id.ok) return invalidRequest(id);
    const overlap = checkOverlapSeconds(
      body.value.overlap_seconds,
      this.config.WEBHOOK_SECRET_OVERLAP_SECONDS,
    );
    if (!overlap.ok) return invalidRequest(overlap);

    const rotated = await this.endpoints.changeLive(
      meta.merchantId,
      id.value,
      async (endpoint, manager) => {
        const secret = generateSecret();
        await this.endpoints.rotateSecret(
          manager,
          endpoint.id,
          secret,
          this.clock.now(),
          overlap.value,
        );
        return ok({ ...toWebhookEndpoint(endpoint), secret });
      },
    );
    return rotated ?? endpointNotFound();
  }
}
