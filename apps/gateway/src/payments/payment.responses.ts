import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  dailyReportSchema,
  dailySummarySchema,
  DeclineCodes,
  moneySchema,
  paymentCardSchema,
  paymentEventListSchema,
  paymentEventSchema,
  PaymentFailureCodes,
  paymentFailureSchema,
  paymentListSchema,
  paymentMethodSchema,
  paymentSchema,
  PaymentStateErrorCodes,
  type DeclineCode,
  type Payment,
  type PaymentFailureCode,
} from '@finfusion/contracts';
import { apiSchema, apiSchemaRef } from '../docs/api-schema';

// The documented response bodies: the contracts' schemas of Payment & co., under these names.

export const MoneyResponse = apiSchema('MoneyResponse', moneySchema);
export const PaymentCardResponse = apiSchema('PaymentCardResponse', paymentCardSchema);
export const PaymentMethodResponse = apiSchema('PaymentMethodResponse', paymentMethodSchema);
export const PaymentFailureResponse = apiSchema('PaymentFailureResponse', paymentFailureSchema);
export const PaymentResponse = apiSchema('PaymentResponse', paymentSchema);
export const PaymentListResponse = apiSchema('PaymentListResponse', paymentListSchema);
export const PaymentEventResponse = apiSchema('PaymentEventResponse', paymentEventSchema);
export const PaymentEventListResponse = apiSchema(
  'PaymentEventListResponse',
  paymentEventListSchema,
);
export const DailySummaryResponse = apiSchema('DailySummaryResponse', dailySummarySchema);
export const DailyReportResponse = apiSchema('DailyReportResponse', dailyReportSchema);

/** The 402 error: the API's error shape narrowed to a card error, with the failed payment. */
export class CardErrorObject {
  @ApiProperty({ enum: ['card_error'], example: 'card_error' })
  type!: 'card_error';

  @ApiProperty({ enum: PaymentFailureCodes, example: 'card_declined' })
  code!: PaymentFailureCode;

  @ApiProperty({ example: 'Your card has insufficient funds.' })
  message!: string;

  @ApiPropertyOptional({
    enum: DeclineCodes,
    description: "The issuer's reason; only with card_declined.",
    example: 'insufficient_funds',
  })
  decline_code?: DeclineCode;

  @ApiProperty({
    allOf: [apiSchemaRef(PaymentResponse)],
    description: 'The failed payment (status failed), as GET /v2/payments/{id} then returns it.',
  })
  payment!: Payment;

  @ApiProperty({
    description: 'The Request-Id of the response that carried this error.',
    example: 'req_4Qm2x9Zt7LbK1cVn3RfH8e',
  })
  request_id!: string;
}

/** 402: the payment was created and failed. */
export class CardErrorResponse {
  @ApiProperty({ type: CardErrorObject })
  error!: CardErrorObject;
}

/**
 * The 400 of a capture, cancellation or refund: the API's error shape, and, when the payment's
 * state refused it, the payment as it is.
 */
export class PaymentStateErrorObject {
  // A 400 of the Idempotency-Key too (idempotency_key_reused).
  @ApiProperty({
    enum: ['invalid_request_error', 'idempotency_error'],
    example: 'invalid_request_error',
  })
  type!: 'invalid_request_error' | 'idempotency_error';

  @ApiProperty({
    description:
      `A validation code (parameter_missing, parameter_invalid…), or one the payment's state ` +
      `gives: ${PaymentStateErrorCodes.join(', ')}.`,
    example: 'payment_unexpected_state',
  })
  code!: string;

  @ApiProperty({
    example:
      'This payment has status succeeded; only a payment in requires_capture can be captured.',
  })
  message!: string;

  @ApiPropertyOptional({
    description: 'The parameter at fault, as a dotted path (amount_to_capture).',
    example: 'amount_to_capture',
  })
  param?: string;

  @ApiPropertyOptional({
    allOf: [apiSchemaRef(PaymentResponse)],
    description:
      `The payment as it is, with ${PaymentStateErrorCodes.join(', ')}: what its status and ` +
      'amounts allow.',
  })
  payment?: Payment;

  @ApiProperty({
    description: 'The Request-Id of the response that carried this error.',
    example: 'req_4Qm2x9Zt7LbK1cVn3RfH8e',
  })
  request_id!: string;
}

/** 400 of a capture, cancellation or refund. */
export class PaymentStateErrorResponse {
  @ApiProperty({ type: PaymentStateErrorObject })
  error!: PaymentStateErrorObject;
}

/** What the 400 of an action on a payment says, beside the common validation errors. */
export const PAYMENT_STATE_ERROR_DESCRIPTION =
  "Also when the payment's status or amounts do not allow the request: " +
  'payment_unexpected_state, amount_too_large (more than is left), charge_already_refunded, ' +
  'with the payment as it is in `error.payment`.';
