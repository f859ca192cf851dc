import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  CancelPaymentRules,
  CaptureMethods,
  CapturePaymentRules,
  CardBrands,
  CreatePaymentRules,
  CurrencyCodes,
  DAILY_REPORT_MAX_DAYS,
  DailyReportRules,
  ListPaymentsRules,
  MAX_AMOUNT,
  MIN_AMOUNT,
  notAnObject,
  oneCursorRule,
  PaymentStatuses,
  RequestedCancellationReasons,
  type CancelPaymentPayload,
  type CaptureMethod,
  type CapturePaymentPayload,
  type Metadata,
  type PaymentStatus,
  type RequestedCancellationReason,
} from '@finfusion/contracts';
import { FollowsRule } from '../validation/follows-rule.decorator';
import { metadataApiSchema } from '../validation/metadata-api-schema';
import { ListQuery } from '../validation/list-query.dto';
import { IsOptionalNotNull } from '../validation/validators';

// Each field follows its rule in libs/contracts, the one the payments service applies again.
const Follows = (field: keyof typeof CreatePaymentRules): PropertyDecorator =>
  FollowsRule(field, CreatePaymentRules[field]);

/** An object field of a request: refused, as the payments service refuses it, when it is none. */
const IsObjectField = (path: string): PropertyDecorator =>
  IsObject({ message: notAnObject(path).message });

export class AmountRequest {
  @ApiProperty({
    type: 'integer',
    minimum: MIN_AMOUNT,
    maximum: MAX_AMOUNT,
    description: "In the currency's minor unit: cents for USD, yen for JPY, fils for KWD.",
    example: 1000,
  })
  @IsDefined()
  @Follows('amount.value')
  value!: number;

  @ApiProperty({
    description: 'An upper-case ISO 4217 code of a circulating currency.',
    enum: CurrencyCodes,
    example: 'USD',
  })
  @IsDefined()
  @Follows('amount.currency')
  currency!: string;
}

export class CardRequest {
  @ApiProperty({
    description:
      `12 to 19 digits without spaces or dashes, Luhn-valid, of a supported brand ` +
      `(${CardBrands.join(', ')}) and a length that brand issues. Never stored or returned.`,
    example: '4242424242424242',
  })
  @IsDefined()
  @Follows('payment_method.card.number')
  number!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12, example: 12 })
  @IsDefined()
  @Follows('payment_method.card.exp_month')
  exp_month!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1000,
    maximum: 9999,
    description: 'Four digits. A card whose expiry month has passed fails with expired_card.',
    example: 2030,
  })
  @IsDefined()
  @Follows('payment_method.card.exp_year')
  exp_year!: number;

  @ApiProperty({
    description: '3 digits, 4 for American Express. Never stored or returned.',
    pattern: '^[0-9]{3,4}$',
    example: '123',
  })
  @IsDefined()
  @Follows('payment_method.card.cvc')
  cvc!: string;
}

export class PaymentMethodRequest {
  @ApiProperty({ enum: ['card'], example: 'card' })
  @IsDefined()
  @Follows('payment_method.type')
  type!: 'card';

  @ApiProperty({ type: CardRequest })
  @IsDefined()
  @IsObjectField('payment_method.card')
  @ValidateNested()
  @Type(() => CardRequest)
  card!: CardRequest;
}

export class CreatePaymentRequest {
  @ApiProperty({ type: AmountRequest })
  @IsDefined()
  @IsObjectField('amount')
  @ValidateNested()
  @Type(() => AmountRequest)
  amount!: AmountRequest;

  @ApiProperty({ type: PaymentMethodRequest })
  @IsDefined()
  @IsObjectField('payment_method')
  @ValidateNested()
  @Type(() => PaymentMethodRequest)
  payment_method!: PaymentMethodRequest;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The id (cust_…) of one of your customers.',
    example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw',
  })
  @IsOptional()
  @Follows('customer')
  customer?: string | null;

  @ApiPropertyOptional({
    ...metadataApiSchema({ order_id: 'order_123' }, ' No card numbers.'),
    nullable: true,
  })
  @IsOptional()
  @Follows('metadata')
  metadata?: Metadata | null;

  @ApiPropertyOptional({
    enum: CaptureMethods,
    // No `default` keyword: generated clients would make the field required.
    description:
      '`automatic` (the default) captures the payment when the card is authorized. `manual` ' +
      'only authorizes it: the payment waits in `requires_capture` until you capture or cancel ' +
      'it, or until `capture_before`, when it is canceled.',
    example: 'manual',
  })
  @IsOptionalNotNull()
  @Follows('capture_method')
  capture_method?: CaptureMethod;
}

/** The body of POST /v2/payments/{id}/capture; it may be left out. */
export class CapturePaymentRequest {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_AMOUNT,
    maximum: MAX_AMOUNT,
    description:
      "How much to capture, in the currency's minor unit: at most the authorized amount. " +
      'Default: all of it. What is not captured is released.',
    example: 750,
  })
  @IsOptionalNotNull()
  @FollowsRule('amount_to_capture', CapturePaymentRules.amount_to_capture)
  amount_to_capture?: number;
}

/** The body of POST /v2/payments/{id}/cancel; it may be left out. */
export class CancelPaymentRequest {
  @ApiPropertyOptional({
    enum: RequestedCancellationReasons,
    description: 'Why you cancel, kept on the payment as `cancellation_reason`.',
    example: 'requested_by_customer',
  })
  @IsOptionalNotNull()
  @FollowsRule('cancellation_reason', CancelPaymentRules.cancellation_reason)
  cancellation_reason?: RequestedCancellationReason;
}

/** payments.capture's payload: the path's id and what the body says, nothing else. */
export function capturePaymentPayload(
  id: string,
  body: CapturePaymentRequest,
): CapturePaymentPayload {
  const payload: CapturePaymentPayload = { id };
  if (body.amount_to_capture !== undefined) payload.amount_to_capture = body.amount_to_capture;
  return payload;
}

/** payments.cancel's payload: the path's id and what the body says, nothing else. */
export function cancelPaymentPayload(id: string, body: CancelPaymentRequest): CancelPaymentPayload {
  const payload: CancelPaymentPayload = { id };
  if (body.cancellation_reason !== undefined) {
    payload.cancellation_reason = body.cancellation_reason;
  }
  return payload;
}

const FollowsListRule = (field: keyof typeof ListPaymentsRules): PropertyDecorator =>
  FollowsRule(field, ListPaymentsRules[field]);

// A subclass that decorates an inherited property replaces the parent's checks of it
// (class-validator keeps one set per property): the cursors list all of theirs again.
export class ListPaymentsQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'A payment id: the page starts after it (older payments).',
    example: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs',
  })
  @IsOptional()
  @FollowsListRule('starting_after')
  override starting_after?: string = undefined;

  @ApiPropertyOptional({
    description: 'A payment id: the page ends before it (newer payments). Not with starting_after.',
  })
  @IsOptional()
  @FollowsListRule('ending_before')
  @FollowsRule('oneCursor', oneCursorRule)
  override ending_before?: string = undefined;

  @ApiPropertyOptional({ enum: PaymentStatuses, description: 'Only payments in this status.' })
  @IsOptional()
  @FollowsListRule('status')
  status?: PaymentStatus;

  @ApiPropertyOptional({
    description: 'Only payments of this customer (cust_…).',
    example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw',
  })
  @IsOptional()
  @FollowsListRule('customer')
  customer?: string;

  // Fastify reads `created[gte]=…` as a parameter of that name (no nesting): so it is declared.
  @ApiPropertyOptional({
    name: 'created[gte]',
    format: 'date-time',
    description: 'Only payments created at or after this instant (ISO 8601 with a zone).',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @FollowsListRule('created[gte]')
  'created[gte]'?: string;

  @ApiPropertyOptional({
    name: 'created[lte]',
    format: 'date-time',
    description: 'Only payments created at or before this instant (ISO 8601 with a zone).',
    example: '2026-03-31T23:59:59Z',
  })
  @IsOptional()
  @FollowsListRule('created[lte]')
  'created[lte]'?: string;
}

export class DailyReportQuery {
  @ApiProperty({
    format: 'date',
    description: 'The first UTC day of the report, inclusive (YYYY-MM-DD).',
    example: '2026-03-01',
  })
  @FollowsRule('from', DailyReportRules.from)
  from!: string;

  @ApiProperty({
    format: 'date',
    description: `The last UTC day, inclusive; at most ${DAILY_REPORT_MAX_DAYS} days after from.`,
    example: '2026-03-31',
  })
  @FollowsRule('to', DailyReportRules.to)
  to!: string;

  @ApiPropertyOptional({ enum: CurrencyCodes, description: 'Only this currency.', example: 'USD' })
  @IsOptional()
  @FollowsRule('currency', DailyReportRules.currency)
  currency?: string;
}
