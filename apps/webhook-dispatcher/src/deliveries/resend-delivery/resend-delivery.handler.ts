import { ok, RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import { DeliveryWorker } from '../../sending/delivery.worker';
import { checkId, checkPayload } from '../../endpoints/domain/endpoint-input';
import { EndpointRepository } from '../../endpoints/endpoint.repository';
import {
  deliveryNotFound,
  endpointDisabled,
  endpointNotFound,
  invalidRequest,
} from '../../webhooks.errors';
import { DeliveryRepository } from '../delivery.repository';
import { toWebhookDelivery } from '../domain/delivery';

/** Sends a delivery again, right away, with the same webhook-id and body. */
@HandlesRequest(RequestTopics.webhooks.resend)
export class ResendDeliveryHandler {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly worker: DeliveryWorker,
  ) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.resend>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const endpointId = checkId(body.value.endpoint_id, 'endpoint_id');
    if (!endpointId.ok) return invalidRequest(endpointId);
    const deliveryId = checkId(body.value.delivery_id, 'delivery_id');
    if (!deliveryId.ok) return invalidRequest(deliveryId);

    const endpoint = await this.endpoints.findLive(meta.merchantId, endpointId.value);
    if (!endpoint) return endpointNotFound('endpoint_id');
    const delivery = await this.deliveries.find(meta.merchantId, endpoint.id, deliveryId.value);
    if (!delivery) return deliveryNotFound();
    if (endpoint.status !== 'active') return endpointDisabled(endpoint.id);

    await this.deliveries.resend(delivery);
    this.worker.wake();
    const [current, attempts] = await Promise.all([
      this.deliveries.find(meta.merchantId, endpoint.id, delivery.id),
      this.deliveries.attemptsOf([delivery.id]),
    ]);
    return ok(toWebhookDelivery(current ?? delivery, attempts));
  }
}
