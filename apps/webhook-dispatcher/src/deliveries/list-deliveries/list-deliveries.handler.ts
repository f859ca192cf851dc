import { RequestTopics, type TopicRequest } from '@finfusion/contracts';
import { HandlesRequest } from '@finfusion/runtime';
import {
  checkId,
  checkListParams,
  checkOutcome,
  checkPayload,
} from '../../endpoints/domain/endpoint-input';
import { endpointNotFound, invalidRequest } from '../../webhooks.errors';
import { DeliveryLog } from './delivery-log';

/** The attempt log of one endpoint: its deliveries, newest first, each with every attempt. */
@HandlesRequest(RequestTopics.webhooks.deliveries)
export class ListDeliveriesHandler {
  constructor(private readonly log: DeliveryLog) {}

  async handle({ meta, payload }: TopicRequest<typeof RequestTopics.webhooks.deliveries>) {
    const body = checkPayload(payload);
    if (!body.ok) return invalidRequest(body);
    const endpointId = checkId(body.value.endpoint_id, 'endpoint_id');
    if (!endpointId.ok) return invalidRequest(endpointId);
    const outcome = checkOutcome(body.value.outcome);
    if (!outcome.ok) return invalidRequest(outcome);
    const params = checkListParams(body.value);
    if (!params.ok) return invalidRequest(params);

    const page = await this.log.page(
      meta.merchantId,
      endpointId.value,
      outcome.value,
      params.value,
    );
    return page ?? endpointNotFound('endpoint_id');
  }
}
