import {
  ok,
  RequestTopics,
  type ListWebhookDeliveriesPayload,
  type ServiceRequest,
} from '@finfusion/contracts';
import { HandlesRequest, paginate } from '@finfusion/runtime';
import {
  checkId,
  checkListParams,
  checkOutcome,
  checkPayload,
} from '../../endpoints/domain/endpoint-input';
import { EndpointRepository } from '../../endpoints/endpoint.repository';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { DeliveryRepository } from '../delivery.repository';
import { toWebhookDelivery } from '../domain/delivery';

/** The attempt log of one endpoint: its deliveries, newest first, each with every attempt. */
@HandlesRequest(RequestTopics.webhooks.deliveries)
export class ListDeliveriesHandler {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly deliveries: DeliveryRepository,
  ) {}

  async handle({ meta, payload }: ServiceRequest<ListWebhookDeliveriesPayload>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const endpointId = checkId(body.value.endpoint_id, 'endpoint_id');
    if (!endpointId.ok) return invalidRequest(endpointId);
    const outcome = checkOutcome(body.value.outcome);
    if (!outcome.ok) return invalidRequest(outcome);
    const params = checkListParams(body.value);
    if (!params.ok) return invalidRequest(params);

    const endpoint = await this.endpoints.findLive(meta.merchantId, endpointId.value);
    if (!endpoint) return endpointNotFound('endpoint_id');
    const page = await paginate(
      this.deliveries.forEndpoint(meta.merchantId, endpoint.id, outcome.value),
      params.value,
      (row) => row,
    );
    if (!page.ok) return page;
    const rows = page.body.data;
    const attempts = await this.deliveries.attemptsOf(rows.map((row) => row.id));
    return ok({
      ...page.body,
      data: rows.map((row) =>
        toWebhookDelivery(
          row,
          attempts.filter((attempt) => attempt.delivery_id === row.id),
        ),
      ),
    });
  }
}
