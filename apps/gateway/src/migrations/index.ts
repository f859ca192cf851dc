import { CreateGateway1764200000000 } from './1764200000000-create-gateway';
import { SealIdempotentResponses1765100000000 } from './1765100000000-seal-idempotent-responses';
import { IdempotentResponseResource1765300000000 } from './1765300000000-idempotent-response-resource';

/** In order; never edit one that has shipped, add the next. */
export const gatewayMigrations = [
  CreateGateway1764200000000,
  SealIdempotentResponses1765100000000,
  IdempotentResponseResource1765300000000,
];
