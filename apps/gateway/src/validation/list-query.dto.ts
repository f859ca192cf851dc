import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NotWith } from './validators';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

/** The API's list parameters, newest first; each resource's list extends it with filters. */
export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'An object id: the page starts after it (older objects).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  starting_after?: string;

  @ApiPropertyOptional({
    description: 'An object id: the page ends before it (newer objects). Not with starting_after.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @NotWith('starting_after')
  ending_before?: string;
}
