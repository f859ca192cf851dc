import { ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { DeliveryRepository } from '../../deliveries/delivery.repository';
import { ENDPOINT_DISABLED_ERROR } from '../../deliveries/domain/delivery';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { toWebhookEndpoint, updateEndpoint, type EndpointPatch } from '../domain/endpoint';
import {
  checkEvents,
  checkId,
  checkMetadata,
  checkPayload,
  checkStatus,
  type Checked,
} from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';
import { EndpointUrlPolicy } from '../endpoint-url.policy';

@HandlesRequest(RequestTopics.webhooks.update)
export class UpdateEndpointHandler {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly urls: EndpointUrlPolicy,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.update>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const id = checkId(body.value.id);
    if (!id.ok) return invalidRequest(id);
    const patch = await this.checkPatch(body.value);
    if (!patch.ok) return invalidRequest(patch);

    const updated = await this.endpoints.changeLive(
      meta.merchantId,
      id.value,
      async (current, manager) => {
        const outcome = updateEndpoint(current, patch.value, this.clock.now());
        switch (outcome.kind) {
          case 'rejected':
            return invalidRequest({ ok: false, param: outcome.param, message: outcome.message });
          case 'unchanged':
            return ok(toWebhookEndpoint(outcome.state));
          case 'changed':
            await this.endpoints.save(manager, outcome.state);
            if (outcome.disabled) {
              await this.deliveries.failPending(manager, outcome.state.id, ENDPOINT_DISABLED_ERROR);
            }
            return ok(toWebhookEndpoint(outcome.state));
          default: {
            const unhandled: never = outcome;
            throw new Error(`unknown update outcome ${JSON.stringify(unhandled)}`);
          }
        }
      },
    );
    return updated ?? endpointNotFound();
  }

  private async checkPatch(payload: Record<string, unknown>): Promise<Checked<EndpointPatch>> {
    const patch: EndpointPatch = {};
    if (payload.events !== undefined) {
      const events = checkEvents(payload.events);
      if (!events.ok) return events;
      patch.events = events.value;
    }
    if (payload.status !== undefined) {
      const status = checkStatus(payload.status);
      if (!status.ok) return status;
      patch.status = status.value;
    }
    if (payload.metadata !== undefined) {
      const metadata = checkMetadata(payload.metadata);
      if (!metadata.ok) return metadata;
      patch.metadata = metadata.value;
    }
    if (payload.url !== undefined) {
      const url = await this.urls.check(payload.url);
      if (!url.ok) return url;
      patch.url = url.value;
    }
    return { ok: true, value: patch };
  }
}
