import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  ListEventsRules,
  oneCursorRule,
  PublicEventTypes,
  type CreatedRange,
  type ListEventsPayload,
  type PublicEventType,
} from '@finfusion/contracts';
import { FollowsRule } from '../validation/follows-rule.decorator';
import { DEFAULT_LIMIT, ListQuery } from '../validation/list-query.dto';

// Each filter follows its rule in libs/contracts, the one the webhook dispatcher applies again.
const Follows = (field: keyof typeof ListEventsRules): PropertyDecorator =>
  FollowsRule(field, ListEventsRules[field]);

// A subclass that decorates an inherited property replaces the parent's checks of it
// (class-validator keeps one set per property): the cursors list all of theirs again.
export class ListEventsQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'An event id: the page starts after it (older events).',
    example: 'evt_5Rw8Hc2kQx9Lm4Tz1Vb8Np',
  })
  @IsOptional()
  @Follows('starting_after')
  override starting_after?: string = undefined;

  @ApiPropertyOptional({
    description: 'An event id: the page ends before it (newer events). Not with starting_after.',
  })
  @IsOptional()
  @Follows('ending_before')
  @FollowsRule('oneCursor', oneCursorRule)
  override ending_before?: string = undefined;

  @ApiPropertyOptional({
    enum: PublicEventTypes,
    description: 'Only events of this type.',
    example: 'payment.succeeded',
  })
  @IsOptional()
  @Follows('type')
  type?: PublicEventType;

  // Fastify reads `created[gte]=…` as a parameter of that name (no nesting): so it is declared.
  @ApiPropertyOptional({
    name: 'created[gte]',
    format: 'date-time',
    description:
      'Only events that happened (their created_at) at or after this instant (ISO 8601 with a zone).',
    example: '2026-03-01T00:00:00Z',
  })
  @IsOptional()
  @Follows('created[gte]')
  'created[gte]'?: string;

  @ApiPropertyOptional({
    name: 'created[lte]',
    format: 'date-time',
    description:
      'Only events that happened (their created_at) at or before this instant (ISO 8601 with a zone).',
    example: '2026-03-31T23:59:59Z',
  })
  @IsOptional()
  @Follows('created[lte]')
  'created[lte]'?: string;
}

/** The list filters as events.list takes them: `created[gte]` becomes `created.gte`. */
export function listEventsPayload(query: ListEventsQuery): ListEventsPayload {
  const { limit = DEFAULT_LIMIT, starting_after, ending_before, type } = query;
  const payload: ListEventsPayload = { limit };
  if (starting_after !== undefined) payload.starting_after = starting_after;
  if (ending_before !== undefined) payload.ending_before = ending_before;
  if (type !== undefined) payload.type = type;
  const created: CreatedRange = {};
  if (query['created[gte]'] !== undefined) created.gte = query['created[gte]'];
  if (query['created[lte]'] !== undefined) created.lte = query['created[lte]'];
  if (created.gte !== undefined || created.lte !== undefined) payload.created = created;
  return payload;
}
