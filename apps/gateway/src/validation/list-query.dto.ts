import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { cursorRule, limitRule, ListLimits, oneCursorRule } from '@finfusion/contracts';
import { FollowsRule } from './follows-rule.decorator';

export const DEFAULT_LIMIT = ListLimits.default;

/** The API's list parameters, newest first; each resource's list extends it with filters. */
export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: ListLimits.max, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @FollowsRule('limit', limitRule)
  limit?: number;

  @ApiPropertyOptional({ description: 'An object id: the page starts after it (older objects).' })
  @IsOptional()
  @FollowsRule('starting_after', cursorRule('starting_after'))
  starting_after?: string;

  @ApiPropertyOptional({
    description: 'An object id: the page ends before it (newer objects). Not with starting_after.',
  })
  @IsOptional()
  @FollowsRule('ending_before', cursorRule('ending_before'))
  @FollowsRule('oneCursor', oneCursorRule)
  ending_before?: string;
}
