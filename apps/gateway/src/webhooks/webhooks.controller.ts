import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';

/** Webhook endpoints and their deliveries, kept by the webhook dispatcher. */
@ApiController('webhooks', 'Webhooks')
export class WebhooksController {
  constructor(private readonly services: ServiceClient) {}
}
