import { CreateGateway1764200000000 } from './1764200000000-create-gateway';

/** In order; never edit one that has shipped, add the next. */
export const gatewayMigrations = [CreateGateway1764200000000];
