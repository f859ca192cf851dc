import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { metadataRule, type Metadata } from '@finfusion/contracts';
import { FollowsRule } from '../validation/follows-rule.decorator';
import { METADATA_MERGE_NOTE, metadataApiSchema } from '../validation/metadata-api-schema';
import { ListQuery } from '../validation/list-query.dto';
import { IsOptionalNotNull } from '../validation/validators';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 256;

const metadataSchema = metadataApiSchema({ company: 'Acme Inc' });

const IsMetadata = (): PropertyDecorator => FollowsRule('metadata', metadataRule());

export class CreateCustomerRequest {
  @ApiProperty({ format: 'email', maxLength: MAX_EMAIL_LENGTH, example: 'customer@example.com' })
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_NAME_LENGTH,
    example: 'John Doe',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  name?: string | null;

  @ApiPropertyOptional(metadataSchema)
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Metadata;
}

/** Only the fields given change; metadata keys given replace those keys, "" removes one. */
export class UpdateCustomerRequest {
  @ApiPropertyOptional({ format: 'email', maxLength: MAX_EMAIL_LENGTH, example: 'new@example.com' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_NAME_LENGTH,
    description: 'null removes the name.',
    example: 'Jane Doe',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  name?: string | null;

  @ApiPropertyOptional({
    ...metadataApiSchema({ company: 'Acme Inc' }, METADATA_MERGE_NOTE),
  })
  @IsOptionalNotNull()
  @IsMetadata()
  metadata?: Metadata;
}

export class ListCustomersQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'Only customers with this email (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  email?: string;
}
