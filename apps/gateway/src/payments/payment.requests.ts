import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CardBrands,
  CurrencyCodes,
  DAILY_REPORT_MAX_DAYS,
  idPattern,
  MAX_AMOUNT,
  MIN_AMOUNT,
  PaymentStatuses,
  type Metadata,
  type PaymentStatus,
} from '@finfusion/contracts';
import { answeredAs } from '../validation/field-error-context';
import { metadataApiSchema } from '../validation/is-metadata.validator';
import { ListQuery } from '../validation/list-query.dto';
import { NotWith } from '../validation/validators';
import {
  IsCardCvc,
  IsCardNumber,
  IsCurrency,
  IsExpiryMonth,
  IsExpiryYear,
  IsInstant,
  IsPaymentMetadata,
  IsReportEnd,
  IsSafeInteger,
  IsUtcDay,
} from './payment.validators';

// Each field lists its type check first: when several checks fail, the first listed is reported
// (validation-errors.ts), as the payments service reports it.

export class AmountRequest {
  @ApiProperty({
    type: 'integer',
    minimum: MIN_AMOUNT,
    maximum: MAX_AMOUNT,
    description: "In the currency's minor unit: cents for USD, yen for JPY, fils for KWD.",
    example: 1000,
  })
  @IsDefined()
  @IsSafeInteger("amount.value must be an integer in the currency's minor unit.")
  @Min(MIN_AMOUNT, {
    message: `amount.value must be at least ${MIN_AMOUNT}.`,
    ...answeredAs({ code: 'amount_too_small' }),
  })
  @Max(MAX_AMOUNT, {
    message: `amount.value must be at most ${MAX_AMOUNT}.`,
    ...answeredAs({ code: 'amount_too_large' }),
  })
  value!: number;

  @ApiProperty({
    description: 'An upper-case ISO 4217 code of a circulating currency.',
    enum: CurrencyCodes,
    example: 'USD',
  })
  @IsDefined()
  @IsCurrency(
    'amount.currency must be an ISO 4217 code in upper case, such as USD.',
    'invalid_currency',
  )
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
  @IsString({ message: 'The card number must be a string of digits.' })
  @IsCardNumber()
  number!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12, example: 12 })
  @IsDefined()
  @IsExpiryMonth()
  exp_month!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1000,
    maximum: 9999,
    description: 'Four digits. A card whose expiry month has passed fails with expired_card.',
    example: 2030,
  })
  @IsDefined()
  @IsExpiryYear()
  exp_year!: number;

  @ApiProperty({
    description: '3 digits, 4 for American Express. Never stored or returned.',
    pattern: '^[0-9]{3,4}$',
    example: '123',
  })
  @IsDefined()
  @IsCardCvc()
  cvc!: string;
}

export class PaymentMethodRequest {
  @ApiProperty({ enum: ['card'], example: 'card' })
  @IsDefined()
  @Equals('card', { message: 'payment_method.type must be "card".' })
  type!: 'card';

  @ApiProperty({ type: CardRequest })
  @IsDefined()
  @IsObject({ message: 'payment_method.card must be an object.' })
  @ValidateNested()
  @Type(() => CardRequest)
  card!: CardRequest;
}

export class CreatePaymentRequest {
  @ApiProperty({ type: AmountRequest })
  @IsDefined()
  @IsObject({ message: 'amount must be an object.' })
  @ValidateNested()
  @Type(() => AmountRequest)
  amount!: AmountRequest;

  @ApiProperty({ type: PaymentMethodRequest })
  @IsDefined()
  @IsObject({ message: 'payment_method must be an object.' })
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
  @IsString({ message: 'customer must be a customer id.' })
  @Matches(idPattern('cust'), {
    message: 'No such customer.',
    ...answeredAs({ code: 'resource_missing' }),
  })
  customer?: string | null;

  @ApiPropertyOptional({
    ...metadataApiSchema({ order_id: 'order_123' }, ' No card numbers.'),
    nullable: true,
  })
  @IsOptional()
  @IsPaymentMetadata()
  metadata?: Metadata | null;
}

const paymentIdPattern = idPattern('pay');

// A subclass that decorates an inherited property replaces the parent's checks of it
// (class-validator keeps one set per property): the cursors list all of theirs again.
export class ListPaymentsQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'A payment id: the page starts after it (older payments).',
    example: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs',
  })
  @IsOptional()
  @IsString()
  @Matches(paymentIdPattern, { message: 'starting_after must be a payment id.' })
  override starting_after?: string = undefined;

  @ApiPropertyOptional({
    description: 'A payment id: the page ends before it (newer payments). Not with starting_after.',
  })
  @IsOptional()
  @IsString()
  @Matches(paymentIdPattern, { message: 'ending_before must be a payment id.' })
  @NotWith('starting_after')
  override ending_before?: string = undefined;

  @ApiPropertyOptional({ enum: PaymentStatuses, description: 'Only payments in this status.' })
  @IsOptional()
  @IsIn(PaymentStatuses, { message: `status must be one of ${PaymentStatuses.join(', ')}.` })
  status?: PaymentStatus;

  @ApiPropertyOptional({
    description: 'Only payments of this customer (cust_…).',
    example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw',
  })
  @IsOptional()
  @IsString({ message: 'customer must be a customer id.' })
  @Matches(idPattern('cust'), { message: 'customer must be a customer id.' })
  customer?: string;

  // Fastify reads `created[gte]=…` as a parameter of that name (no nesting): so it is declared.
  @ApiPropertyOptional({
    name: 'created[gte]',
    format: 'date-time',
    description: 'Only payments created at or after this instant (ISO 8601 with a zone).',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsString({ message: 'created[gte] must be an ISO 8601 date-time.' })
  @IsInstant()
  'created[gte]'?: string;

  @ApiPropertyOptional({
    name: 'created[lte]',
    format: 'date-time',
    description: 'Only payments created at or before this instant (ISO 8601 with a zone).',
    example: '2026-03-31T23:59:59Z',
  })
  @IsOptional()
  @IsString({ message: 'created[lte] must be an ISO 8601 date-time.' })
  @IsInstant()
  'created[lte]'?: string;
}

export class DailyReportQuery {
  @ApiProperty({
    format: 'date',
    description: 'The first UTC day of the report, inclusive (YYYY-MM-DD).',
    example: '2026-03-01',
  })
  @IsString({ message: 'from must be a UTC day, YYYY-MM-DD.' })
  @IsUtcDay()
  from!: string;

  @ApiProperty({
    format: 'date',
    description: `The last UTC day, inclusive; at most ${DAILY_REPORT_MAX_DAYS} days after from.`,
    example: '2026-03-31',
  })
  @IsString({ message: 'to must be a UTC day, YYYY-MM-DD.' })
  @IsUtcDay()
  @IsReportEnd()
  to!: string;

  @ApiPropertyOptional({ enum: CurrencyCodes, description: 'Only this currency.', example: 'USD' })
  @IsOptional()
  @IsCurrency('currency must be an ISO 4217 code in upper case, such as USD.', 'parameter_invalid')
  currency?: string;
}
