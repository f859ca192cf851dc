import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam } from '@nestjs/swagger';
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
import { OptionalBody } from '../validation/optional-body.decorator';
import { ResourceIdPipe } from '../validation/resource-id.pipe';
import { CardSealer, createPaymentPayload } from './card-sealer';
import {
  CancelPaymentRequest,
  cancelPaymentPayload,
  CapturePaymentRequest,
  capturePaymentPayload,
  CreatePaymentRequest,
  ListPaymentsQuery,
} from './payment.requests';
import {
  CardErrorResponse,
  PAYMENT_STATE_ERROR_DESCRIPTION,
  PaymentEventListResponse,
  PaymentListResponse,
  PaymentResponse,
  PaymentStateErrorResponse,
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
      'Authorizes the card at once. 200 with the payment: `succeeded` (captured), or ' +
      '`requires_capture` with `capture_method: manual`; 402 `card_error` when it fails, with ' +
      'the failed payment in `error.payment`. The card number and CVC are never stored, logged ' +
      'or returned: only brand, last4 and expiry are kept.',
  })
  @ApiSuccess(PaymentResponse, 'The payment, succeeded or requires_capture.', { idempotent: true })
  @ApiErrorResponse(402, CardErrorResponse)
  @ApiIdempotentPost()
  create(@Body() body: CreatePaymentRequest, @Meta() meta: RequestMeta): Promise<Payment> {
    const payload = createPaymentPayload(body, (card) => this.cards.seal(card, meta.merchantId));
    return this.services.send(RequestTopics.payments.create, meta, payload, meta.requestId);
  }

  @Post(':id/capture')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'capturePayment',
    summary: 'Capture a payment',
    description:
      'Takes the money of a payment in `requires_capture` (created with `capture_method: ' +
      'manual`): all of the authorized amount, or `amount_to_capture` of it, the rest released. ' +
      'The payment is then `succeeded`, `amount_captured` says how much. The body may be left out.',
  })
  @idParam
  @ApiBody({ type: CapturePaymentRequest, required: false })
  @ApiSuccess(PaymentResponse, 'The payment, succeeded.', { idempotent: true })
  @ApiErrorResponse(400, PaymentStateErrorResponse, PAYMENT_STATE_ERROR_DESCRIPTION)
  @ApiIdempotentPost()
  @ApiErrors(404)
  capture(
    @Param('id', paymentId) id: string,
    @OptionalBody() body: CapturePaymentRequest,
    @Meta() meta: RequestMeta,
  ): Promise<Payment> {
    return this.services.send(
      RequestTopics.payments.capture,
      meta,
      capturePaymentPayload(id, body),
      id,
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'cancelPayment',
    summary: 'Cancel a payment',
    description:
      'Releases the authorization of a payment in `requires_capture`: it is then `canceled`, ' +
      'with `canceled_at` and the `cancellation_reason` given. A captured payment is refunded ' +
      'instead. The body may be left out.',
  })
  @idParam
  @ApiBody({ type: CancelPaymentRequest, required: false })
  @ApiSuccess(PaymentResponse, 'The payment, canceled.', { idempotent: true })
  @ApiErrorResponse(400, PaymentStateErrorResponse, PAYMENT_STATE_ERROR_DESCRIPTION)
  @ApiIdempotentPost()
  @ApiErrors(404)
  cancel(
    @Param('id', paymentId) id: string,
    @OptionalBody() body: CancelPaymentRequest,
    @Meta() meta: RequestMeta,
  ): Promise<Payment> {
    return this.services.send(
      RequestTopics.payments.cancel,
      meta,
      cancelPaymentPayload(id, body),
      id,
    );
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
