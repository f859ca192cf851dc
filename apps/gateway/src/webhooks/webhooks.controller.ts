import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  RequestTopics,
  type DeletedWebhookEndpoint,
  type RequestMeta,
  type WebhookDelivery,
  type WebhookDeliveryList,
  type WebhookEndpoint,
  type WebhookEndpointList,
  type WebhookEndpointWithSecret,
} from '@finfusion/contracts';
import { ApiErrors, ApiIdempotentPost, ApiSuccess } from '../docs/api-docs.decorators';
import { ApiError } from '../errors/api-error';
import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';
import { Meta } from '../http/request-meta.decorator';
import { DEFAULT_LIMIT, ListQuery } from '../validation/list-query.dto';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import { OptionalBody } from '../validation/optional-body.decorator';
import {
  CreateWebhookRequest,
  ListWebhookDeliveriesQuery,
  RotateWebhookSecretRequest,
  UpdateWebhookRequest,
} from './webhook.requests';
import {
  DeletedWebhookEndpointResponse,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookEndpointListResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
} from './webhook.responses';

const endpointId = new ResourceIdPipe('webhookEndpoint');
const deliveryId = new ResourceIdPipe('webhookDelivery', 'delivery_id');
const idParam = ApiParam({ name: 'id', description: 'The webhook endpoint id (whk_…).' });
const deliveryIdParam = ApiParam({
  name: 'delivery_id',
  description: 'The delivery id (whd_…), from the deliveries list.',
});

/**
 * The dispatcher names the endpoint of a delivery request `endpoint_id`, its payload field; in
 * this API it is the path's `id`.
 */
async function withPathParams<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (error) {
    if (error instanceof ApiError && error.body.param === 'endpoint_id') {
      throw new ApiError(error.status, { ...error.body, param: 'id' }, error.origin, error.headers);
    }
    throw error;
  }
}

/** Webhook endpoints and their deliveries, kept by the webhook dispatcher. */
@ApiController('webhooks', 'Webhooks')
export class WebhooksController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createWebhookEndpoint',
    summary: 'Create a webhook endpoint',
    description:
      'The reply carries the endpoint’s signing secret (`whsec_…`): it is shown here and on ' +
      'rotation only. Deliveries follow the Standard Webhooks specification.',
  })
  @ApiSuccess(WebhookEndpointWithSecretResponse, 'The new endpoint, with its secret.', {
    idempotent: true,
  })
  @ApiIdempotentPost()
  create(
    @Body() body: CreateWebhookRequest,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookEndpointWithSecret> {
    const { url, events, metadata } = body;
    return this.services.send(
      RequestTopics.webhooks.create,
      meta,
      { url, events, metadata },
      meta.requestId,
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'Retrieve a webhook endpoint' })
  @idParam
  @ApiSuccess(WebhookEndpointResponse, 'The endpoint (without its secret).')
  @ApiErrors(404)
  get(@Param('id', endpointId) id: string, @Meta() meta: RequestMeta): Promise<WebhookEndpoint> {
    return this.services.send(RequestTopics.webhooks.get, meta, { id }, id);
  }

  @Get()
  @ApiOperation({
    operationId: 'listWebhookEndpoints',
    summary: 'List webhook endpoints, newest first',
  })
  @ApiSuccess(WebhookEndpointListResponse, 'A page of endpoints.')
  @ApiErrors(400)
  list(@Query() query: ListQuery, @Meta() meta: RequestMeta): Promise<WebhookEndpointList> {
    const { limit = DEFAULT_LIMIT, starting_after, ending_before } = query;
    return this.services.send(
      RequestTopics.webhooks.list,
      meta,
      { limit, starting_after, ending_before },
      meta.requestId,
    );
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateWebhookEndpoint', summary: 'Update a webhook endpoint' })
  @idParam
  @ApiSuccess(WebhookEndpointResponse, 'The updated endpoint.')
  @ApiErrors(400, 404, 413, 415)
  update(
    @Param('id', endpointId) id: string,
    @Body() body: UpdateWebhookRequest,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookEndpoint> {
    const { url, events, status, metadata } = body;
    return this.services.send(
      RequestTopics.webhooks.update,
      meta,
      { id, url, events, status, metadata },
      id,
    );
  }

  @Delete(':id')
  @ApiOperation({
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    description: 'Deliveries still pending for it fail; nothing more is sent to it.',
  })
  @idParam
  @ApiSuccess(DeletedWebhookEndpointResponse, 'The endpoint is deleted.')
  @ApiErrors(404)
  delete(
    @Param('id', endpointId) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<DeletedWebhookEndpoint> {
    return this.services.send(RequestTopics.webhooks.delete, meta, { id }, id);
  }

  @Post(':id/rotate_secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'Rotate the signing secret of a webhook endpoint',
    description:
      'Issues a new secret, shown in this reply only. Until `overlap_seconds` have passed, ' +
      'deliveries carry a signature by the old secret and one by the new, so either verifies. ' +
      'The body may be left out.',
  })
  @idParam
  @ApiBody({ type: RotateWebhookSecretRequest, required: false })
  @ApiSuccess(WebhookEndpointWithSecretResponse, 'The endpoint, with its new secret.', {
    idempotent: true,
  })
  @ApiIdempotentPost()
  @ApiErrors(404)
  rotateSecret(
    @Param('id', endpointId) id: string,
    @OptionalBody() body: RotateWebhookSecretRequest,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookEndpointWithSecret> {
    const { overlap_seconds } = body;
    return this.services.send(
      RequestTopics.webhooks.rotateSecret,
      meta,
      { id, overlap_seconds },
      id,
    );
  }

  @Get(':id/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'List the deliveries of a webhook endpoint, newest first',
    description: 'Each delivery is one event for this endpoint, with its whole attempt log.',
  })
  @idParam
  @ApiSuccess(WebhookDeliveryListResponse, 'A page of deliveries.')
  @ApiErrors(400, 404)
  deliveries(
    @Param('id', endpointId) id: string,
    @Query() query: ListWebhookDeliveriesQuery,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookDeliveryList> {
    const { limit = DEFAULT_LIMIT, starting_after, ending_before, outcome } = query;
    return withPathParams(
      this.services.send(
        RequestTopics.webhooks.deliveries,
        meta,
        { endpoint_id: id, limit, starting_after, ending_before, outcome },
        id,
      ),
    );
  }

  @Post(':id/deliveries/:delivery_id/resend')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resendWebhookDelivery',
    summary: 'Resend a delivery',
    description:
      'One more attempt, right away, with the same `webhook-id` and body, whatever the ' +
      'delivery’s state. No body. The endpoint must be active (400 `endpoint_disabled`).',
  })
  @idParam
  @deliveryIdParam
  @ApiSuccess(WebhookDeliveryResponse, 'The delivery, due now.', { idempotent: true })
  @ApiIdempotentPost()
  @ApiErrors(404)
  resend(
    @Param('id', endpointId) id: string,
    @Param('delivery_id', deliveryId) delivery: string,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookDelivery> {
    return withPathParams(
      this.services.send(
        RequestTopics.webhooks.resend,
        meta,
        { endpoint_id: id, delivery_id: delivery },
        id,
      ),
    );
  }
}
