import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  RequestTopics,
  type Refund,
  type RefundList,
  type RequestMeta,
} from '@finfusion/contracts';
import {
  ApiErrorResponse,
  ApiErrors,
  ApiIdempotentPost,
  ApiSuccess,
} from '../docs/api-docs.decorators';
import { ServiceClient } from '../forwarding/service-client';
import { ApiController } from '../http/api-controller.decorator';
import { Meta } from '../http/request-meta.decorator';
import {
  PAYMENT_STATE_ERROR_DESCRIPTION,
  PaymentStateErrorResponse,
} from '../payments/payment.responses';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import {
  CreateRefundRequest,
  createRefundPayload,
  ListRefundsQuery,
  listRefundsPayload,
} from './refund.requests';
import { RefundListResponse, RefundResponse } from './refund.responses';

const refundId = new ResourceIdPipe('refund');

/**
 * Refunds: validated here, decided by the payments service on the refunded payment's stream,
 * scoped to the caller's merchant.
 */
@ApiController('refunds', 'Refunds')
export class RefundsController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createRefund',
    summary: 'Refund a payment',
    description:
      'Returns money of a captured payment to its card: all that is left to refund, or ' +
      '`amount` of it. 200 with the refund, `succeeded` or `failed` (see `failure`) once the ' +
      'acquirer has answered, `pending` if it has not yet. A payment can be refunded in several ' +
      'parts, up to `amount_captured`.',
  })
  @ApiSuccess(RefundResponse, 'The refund.', { idempotent: true })
  @ApiErrorResponse(400, PaymentStateErrorResponse, PAYMENT_STATE_ERROR_DESCRIPTION)
  @ApiIdempotentPost()
  @ApiErrors(404)
  create(@Body() body: CreateRefundRequest, @Meta() meta: RequestMeta): Promise<Refund> {
    // Keyed by the payment: the refund is decided on its stream, in order with its other changes.
    return this.services.send(
      RequestTopics.payments.createRefund,
      meta,
      createRefundPayload(body),
      body.payment,
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getRefund', summary: 'Retrieve a refund' })
  @ApiParam({ name: 'id', description: 'The refund id (re_…).' })
  @ApiSuccess(RefundResponse, 'The refund.')
  @ApiErrors(404)
  get(@Param('id', refundId) id: string, @Meta() meta: RequestMeta): Promise<Refund> {
    return this.services.send(RequestTopics.payments.getRefund, meta, { id }, id);
  }

  @Get()
  @ApiOperation({
    operationId: 'listRefunds',
    summary: 'List refunds, newest first',
    description: '`payment` keeps the refunds of one payment.',
  })
  @ApiSuccess(RefundListResponse, 'A page of refunds.')
  @ApiErrors(400)
  list(@Query() query: ListRefundsQuery, @Meta() meta: RequestMeta): Promise<RefundList> {
    return this.services.send(
      RequestTopics.payments.listRefunds,
      meta,
      listRefundsPayload(query),
      meta.requestId,
    );
  }
}
