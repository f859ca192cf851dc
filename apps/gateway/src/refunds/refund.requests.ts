import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional } from 'class-validator';
import {
  CreateRefundRules,
  ListRefundsRules,
  MAX_AMOUNT,
  MIN_AMOUNT,
  oneCursorRule,
  RefundReasons,
  type CreateRefundPayload,
  type ListRefundsPayload,
  type Metadata,
  type RefundReason,
} from '@finfusion/contracts';
import { FollowsRule } from '../validation/follows-rule.decorator';
import { DEFAULT_LIMIT, ListQuery } from '../validation/list-query.dto';
import { metadataApiSchema } from '../validation/metadata-api-schema';
import { IsOptionalNotNull } from '../validation/validators';

const Follows = (field: keyof typeof CreateRefundRules): PropertyDecorator =>
  FollowsRule(field, CreateRefundRules[field]);

const FollowsListRule = (field: keyof typeof ListRefundsRules): PropertyDecorator =>
  FollowsRule(field, ListRefundsRules[field]);

export class CreateRefundRequest {
  @ApiProperty({
    description: 'The id (pay_…) of the payment to refund: one of yours, captured.',
    example: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs',
  })
  @IsDefined()
  @Follows('payment')
  payment!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_AMOUNT,
    maximum: MAX_AMOUNT,
    description:
      "How much to refund, in the minor unit of the payment's currency: at most what is left " +
      '(`amount_captured` less `amount_refunded`). Default: all that is left.',
    example: 400,
  })
  @IsOptionalNotNull()
  @Follows('amount')
  amount?: number;

  @ApiPropertyOptional({
    enum: RefundReasons,
    description: 'Why you refund, kept on the refund.',
    example: 'requested_by_customer',
  })
  @IsOptionalNotNull()
  @Follows('reason')
  reason?: RefundReason;

  @ApiPropertyOptional(metadataApiSchema({ ticket: 'support_4821' }, ' No card numbers.'))
  @IsOptionalNotNull()
  @Follows('metadata')
  metadata?: Metadata;
}

// A subclass that decorates an inherited property replaces the parent's checks of it
// (class-validator keeps one set per property): the cursors list all of theirs again.
export class ListRefundsQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'A refund id: the page starts after it (older refunds).',
    example: 're_7Lm4Tz1Vb8Np3Rw7Hc2kQx',
  })
  @IsOptional()
  @FollowsListRule('starting_after')
  override starting_after?: string = undefined;

  @ApiPropertyOptional({
    description: 'A refund id: the page ends before it (newer refunds). Not with starting_after.',
  })
  @IsOptional()
  @FollowsListRule('ending_before')
  @FollowsRule('oneCursor', oneCursorRule)
  override ending_before?: string = undefined;

  @ApiPropertyOptional({
    description: 'Only the refunds of this payment (pay_…).',
    example: 'pay_3kTz9Qw2Lm8Xc4Vb7Np1Rs',
  })
  @IsOptional()
  @FollowsListRule('payment')
  payment?: string;
}

/** refunds.create's payload: the validated body, only the fields given. */
export function createRefundPayload(body: CreateRefundRequest): CreateRefundPayload {
  const { payment, amount, reason, metadata } = body;
  const payload: CreateRefundPayload = { payment };
  if (amount !== undefined) payload.amount = amount;
  if (reason !== undefined) payload.reason = reason;
  if (metadata !== undefined) payload.metadata = metadata;
  return payload;
}

/** refunds.list's payload: the default limit, and no filter that was not given. */
export function listRefundsPayload(query: ListRefundsQuery): ListRefundsPayload {
  const { limit = DEFAULT_LIMIT, starting_after, ending_before, payment } = query;
  const payload: ListRefundsPayload = { limit };
  if (starting_after !== undefined) payload.starting_after = starting_after;
  if (ending_before !== undefined) payload.ending_before = ending_before;
  if (payment !== undefined) payload.payment = payment;
  return payload;
}
