import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CardBrands,
  DeclineCodes,
  PaymentEventTypes,
  PaymentFailureCodes,
  PaymentStatuses,
  type CardBrand,
  type DeclineCode,
  type Metadata,
  type PaymentEventType,
  type PaymentFailureCode,
  type PaymentStatus,
} from '@finfusion/contracts';

// Response schemas for the OpenAPI document; the wire types are libs/contracts' Payment & co.

export class MoneyResponse {
  @ApiProperty({ type: 'integer', description: "In the currency's minor unit.", example: 1000 })
  value!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;
}

export class PaymentCardResponse {
  @ApiProperty({ enum: CardBrands, example: 'visa' })
  brand!: CardBrand;

  @ApiProperty({ description: 'The last four digits of the number.', example: '4242' })
  last4!: string;

  @ApiProperty({ type: 'integer', example: 12 })
  exp_month!: number;

  @ApiProperty({ type: 'integer', example: 2030 })
  exp_year!: number;
}

export class PaymentMethodResponse {
  @ApiProperty({ example: 'pm_8Qw2Lm4Tz1Vb8Np3Rw7Hc2' })
  id!: string;

  @ApiProperty({ enum: ['card'], example: 'card' })
  type!: 'card';

  @ApiProperty({ type: PaymentCardResponse })
  card!: PaymentCardResponse;
}

export class PaymentFailureResponse {
  @ApiProperty({ enum: PaymentFailureCodes, example: 'card_declined' })
  code!: PaymentFailureCode;

  @ApiPropertyOptional({
    enum: DeclineCodes,
    description: "The issuer's reason; only with card_declined.",
    example: 'insufficient_funds',
  })
  decline_code?: DeclineCode;

  @ApiProperty({ example: 'Your card has insufficient funds.' })
  message!: string;
}

export class PaymentResponse {
  @ApiProperty({ example: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs' })
  id!: string;

  @ApiProperty({ enum: ['payment'], example: 'payment' })
  object!: 'payment';

  @ApiProperty({
    enum: PaymentStatuses,
    description: 'pending until the acquirer has answered, then succeeded or failed.',
    example: 'succeeded',
  })
  status!: PaymentStatus;

  @ApiProperty({ type: MoneyResponse })
  amount!: MoneyResponse;

  @ApiProperty({ type: PaymentMethodResponse })
  payment_method!: PaymentMethodResponse;

  @ApiProperty({ type: String, nullable: true, example: null })
  customer!: string | null;

  @ApiProperty({
    type: PaymentFailureResponse,
    nullable: true,
    description: 'Why the payment failed; null unless status is failed.',
    example: null,
  })
  failure!: PaymentFailureResponse | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:00.123Z' })
  created_at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { order_id: 'order_123' },
  })
  metadata!: Metadata;
}

export class PaymentListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [PaymentResponse] })
  data!: PaymentResponse[];

  @ApiProperty({ description: 'Whether more payments follow this page.', example: false })
  has_more!: boolean;
}

export class PaymentEventData {
  @ApiProperty({ type: PaymentResponse, description: 'The payment as it was after this event.' })
  object!: PaymentResponse;
}

export class PaymentEventResponse {
  @ApiProperty({
    description: 'Stable: the same id on Kafka, in webhooks and on every redelivery.',
    example: 'evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np',
  })
  id!: string;

  @ApiProperty({ enum: PaymentEventTypes, example: 'payment.succeeded' })
  type!: PaymentEventType;

  @ApiProperty({ type: 'integer', example: 1 })
  schema_version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:01.250Z' })
  created_at!: string;

  @ApiProperty({ example: 'mer_2Np3Rw7Hc2kQx9Lm4Tz1Vb' })
  merchant_id!: string;

  @ApiProperty({ type: PaymentEventData })
  data!: PaymentEventData;

  @ApiProperty({
    type: 'integer',
    description: "The payment stream's version: 1 for payment.created, then 2.",
    example: 2,
  })
  sequence!: number;
}

export class PaymentEventListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [PaymentEventResponse], description: 'Oldest first.' })
  data!: PaymentEventResponse[];

  @ApiProperty({ description: 'Always false: the whole history is one page.', example: false })
  has_more!: boolean;
}

export class DailySummaryResponse {
  @ApiProperty({ enum: ['daily_summary'], example: 'daily_summary' })
  object!: 'daily_summary';

  @ApiProperty({ format: 'date', description: 'The UTC day of creation.', example: '2026-03-15' })
  date!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({
    enum: PaymentStatuses,
    description: 'Where the payments stand now; each payment counts once.',
    example: 'succeeded',
  })
  status!: PaymentStatus;

  @ApiProperty({ type: 'integer', example: 2 })
  count!: number;

  @ApiProperty({
    type: 'integer',
    description: "Sum of amount.value, in the currency's minor unit.",
    example: 3500,
  })
  volume!: number;
}

export class DailyReportResponse {
  @ApiProperty({ enum: ['daily_report'], example: 'daily_report' })
  object!: 'daily_report';

  @ApiProperty({ format: 'date', example: '2026-03-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-03-31' })
  to!: string;

  @ApiProperty({
    type: [DailySummaryResponse],
    description: 'By date, then currency, then status; only non-zero counts.',
  })
  data!: DailySummaryResponse[];
}

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
    type: PaymentResponse,
    description: 'The failed payment (status failed), as GET /v2/payments/{id} then returns it.',
  })
  payment!: PaymentResponse;

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
