import { serviceDatabase } from '@finfusion/runtime';
import { ApiKeyEntity } from './merchants/api-key.entity';
import { MerchantEntity } from './merchants/merchant.entity';
import { gatewayMigrations } from './migrations';

/** The Postgres schema the gateway owns: merchants, API keys and idempotency records. */
export const GATEWAY_SCHEMA = 'gateway';

export const gatewayDatabase = serviceDatabase({
  entities: [MerchantEntity, ApiKeyEntity],
  migrations: gatewayMigrations,
});
