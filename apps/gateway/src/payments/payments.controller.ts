import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import {
  RequestTopics,
  type CreatedRange,
  type ListPaymentsPayload,
  type Payment,
  type PaymentEventList,
  type PaymentList,
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
import { DEFAULT_LIMIT } from '../validation/list-query.dto';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import { CardSealer, createPaymentPayload } from './card-sealer';
import { CreatePaymentRequest, ListPaymentsQuery } from './payment.requests';
import {
  CardErrorResponse,
  PaymentEventListResponse,
  PaymentListResponse,
  PaymentResponse,
} from './payment.responses';

const paymentId = new ResourceIdPipe('payment');
const idParam = ApiParam({ name: 'id', description: 'The payment id (pay_…).' });

/** The list filters as payments.list takes them: `created[gte]` becomes `created.gte`. */
export function listPaymentsPayload(query: ListPaymentsQuery): ListPaymentsPayload {
  const { limit = DEFAULT_LIMIT, starting_after, ending_before, status, customer } = query;
  const payload: ListPaymentsPayload = { limit };
  if (starting_after !== undefined) payload.starting_after = starting_after;
  if (ending_before !== undefined) payload.ending_before = ending_before;
  if (status !== undefined) payload.status = status;
  if (customer !== undefined) payload.customer = customer;
  const created: CreatedRange = {};
  if (query['created[gte]'] !== undefined) created.gte = query['created[gte]'];
  if (query['created[lte]'] !== undefined) created.lte = query['created[lte]'];
  if (created.gte !== undefined || created.lte !== undefined) payload.created = created;
  return payload;
}

/**
 * Payments: validated here with the service's rules, the card sealed before it leaves the
 * gateway, decided by the payments service, scoped to the caller's merchant.
 */
@ApiController('payments', 'Payments')
export class PaymentsController {
  constructor(
    private readonly services: ServiceClient,
    private readonly cards: CardSealer,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'createPayment',
    summary: 'Create a payment',
    description:
      'Authorizes the card at once. 200 with the succeeded payment; 402 `card_error` when it ' +
      'fails, with the failed payment in `error.payment`. The card number and CVC are never ' +
      'stored, logged or returned: only brand, last4 and expiry are kept.',
  })
  @ApiSuccess(PaymentResponse, 'The payment, succeeded.', { idempotent: true })
  @ApiErrorResponse(402, CardErrorResponse)
  @ApiIdempotentPost()
  create(@Body() body: CreatePaymentRequest, @Meta() meta: RequestMeta): Promise<Payment> {
    const payload = createPaymentPayload(body, (card) => this.cards.seal(card, meta.merchantId));
    return this.services.send(RequestTopics.payments.create, meta, payload, meta.requestId);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getPayment', summary: 'Retrieve a payment' })
  @idParam
  @ApiSuccess(PaymentResponse, 'The payment.')
  @ApiErrors(404)
  get(@Param('id', paymentId) id: string, @Meta() meta: RequestMeta): Promise<Payment> {
    return this.services.send(RequestTopics.payments.get, meta, { id }, id);
  }

  @Get()
  @ApiOperation({
    operationId: 'listPayments',
    summary: 'List payments, newest first',
    description:
      'Filters combine: `status`, `customer`, and `created[gte]` / `created[lte]` (inclusive ' +
      'ISO 8601 date-times with a zone, e.g. `created[gte]=2026-03-01T00:00:00Z`).',
  })
  @ApiSuccess(PaymentListResponse, 'A page of payments.')
  @ApiErrors(400)
  list(@Query() query: ListPaymentsQuery, @Meta() meta: RequestMeta): Promise<PaymentList> {
    return this.services.send(
      RequestTopics.payments.list,
      meta,
      listPaymentsPayload(query),
      meta.requestId,
    );
  }

  @Get(':id/events')
  @ApiOperation({
    operationId: 'listPaymentEvents',
    summary: "List a payment's events, oldest first",
    description:
      'The whole history in one page, in the envelope Kafka and webhooks carry: the same ids ' +
      'and sequences.',
  })
  @idParam
  @ApiSuccess(PaymentEventListResponse, "The payment's events.")
  @ApiErrors(404)
  events(@Param('id', paymentId) id: string, @Meta() meta: RequestMeta): Promise<PaymentEventList> {
    return this.services.send(RequestTopics.payments.events, meta, { id }, id);
  }
}
