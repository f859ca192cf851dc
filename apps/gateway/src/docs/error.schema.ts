import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorTypes, type ErrorType } from '@finfusion/contracts';
import { GatewayErrors } from '../errors/api-error';

const errorTypes = [...ErrorTypes];

export class ErrorObject {
  @ApiProperty({ enum: errorTypes, example: 'invalid_request_error' })
  type!: ErrorType;

  @ApiProperty({
    description:
      `A stable, machine-readable code. The gateway's own: ${Object.keys(GatewayErrors).join(', ')}. ` +
      'Services add theirs (for example card_declined).',
    example: 'parameter_invalid',
  })
  code!: string;

  @ApiProperty({
    description: 'For people: may change, do not parse it.',
    example: 'email must be a valid email address.',
  })
  message!: string;

  @ApiPropertyOptional({
    description: 'The parameter at fault, as a dotted path (metadata.company), or a header name.',
    example: 'email',
  })
  param?: string;

  @ApiPropertyOptional({
    description: "The issuer's reason for a declined card.",
    example: 'insufficient_funds',
  })
  decline_code?: string;

  @ApiProperty({
    description: 'The Request-Id of the response that carried this error.',
    example: 'req_4Qm2x9Zt7LbK1cVn3RfH8e',
  })
  request_id!: string;
}

/** Every error response, whatever its status. */
export class ErrorResponse {
  @ApiProperty({ type: ErrorObject })
  error!: ErrorObject;
}
