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
