import { ApiProperty } from '@nestjs/swagger';
import type { Metadata } from '@finfusion/contracts';

// Response schemas for the OpenAPI document; the wire types are libs/contracts' Customer & co.

export class CustomerResponse {
  @ApiProperty({ example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' })
  id!: string;

  @ApiProperty({ enum: ['customer'], example: 'customer' })
  object!: 'customer';

  @ApiProperty({ example: 'customer@example.com' })
  email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'John Doe' })
  name!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-15T10:30:00.000Z' })
  created_at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { company: 'Acme Inc' },
  })
  metadata!: Metadata;
}

export class CustomerListResponse {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [CustomerResponse] })
  data!: CustomerResponse[];

  @ApiProperty({ description: 'Whether more customers follow this page.', example: false })
  has_more!: boolean;
}

export class DeletedCustomerResponse {
  @ApiProperty({ example: 'cust_7Hc2kQx9Lm4Tz1Vb8Np3Rw' })
  id!: string;

  @ApiProperty({ enum: ['customer'], example: 'customer' })
  object!: 'customer';

  @ApiProperty({ enum: [true], example: true })
  deleted!: true;
}
