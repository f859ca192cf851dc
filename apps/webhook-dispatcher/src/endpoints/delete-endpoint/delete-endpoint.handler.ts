import { ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { Clock, HandlesRequest } from '@finfusion/runtime';
import { DeliveryRepository } from '../../deliveries/delivery.repository';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { checkId, checkPayload } from '../domain/endpoint-input';
import { EndpointRepository } from '../endpoint.repository';

/** Deleting keeps the row (deliveries and attempts still refer to it) but hides it for good. */
@HandlesRequest(RequestTopics.webhooks.delete)
export class DeleteEndpointHandler {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly clock: Clock,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.delete>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const id = checkId(body.value.id);
    if (!id.ok) return invalidRequest(id);
    const deleted = await this.endpoints.changeLive(
      meta.merchantId,
      id.value,
      async (current, manager) => {
        const now = this.clock.now();
        current.updated_at = now;
        current.deleted_at = now;
        await this.endpoints.save(manager, current);
        await this.deliveries.failPending(manager, current.id, 'the endpoint was deleted');
        return ok({ id: current.id, object: 'webhook_endpoint' as const, deleted: true as const });
      },
    );
    return deleted ?? endpointNotFound();
  }
}
