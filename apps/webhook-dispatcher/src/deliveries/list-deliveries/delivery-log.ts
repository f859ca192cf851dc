import { Injectable } from '@nestjs/common';
import type { ListParams, WebhookDeliveryStatus } from '@finfusion/contracts';
import { paginate } from '@finfusion/runtime';
import { EndpointRepository } from '../../endpoints/endpoint.repository';
import { DeliveryRepository } from '../delivery.repository';
import { toWebhookDelivery } from '../domain/delivery';

/**
 * The attempt log of one endpoint, as the API lists it: a page of its deliveries, newest first,
 * each with every attempt. Only a live endpoint of the merchant has one.
 */
@Injectable()
export class DeliveryLog {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly deliveries: DeliveryRepository,
  ) {}

  /** A page of the endpoint's log, or null when the merchant has no such live endpoint. */
  async page(
    merchantId: string,
    endpointId: string,
    status: WebhookDeliveryStatus | undefined,
    params: ListParams,
  ) {
    const endpoint = await this.endpoints.findLive(merchantId, endpointId);
    if (!endpoint) return null;
    const page = await paginate(
      this.deliveries.forEndpoint(merchantId, endpoint.id, status),
      params,
      (row) => row,
    );
    if (!page.ok) return page;
    const rows = page.body.data;
    const attempts = await this.deliveries.attemptsOf(rows.map((row) => row.id));
    return {
      ...page,
      body: {
        ...page.body,
        data: rows.map((row) =>
          toWebhookDelivery(
            row,
            attempts.filter((attempt) => attempt.delivery_id === row.id),
          ),
        ),
      },
    };
  }
}
