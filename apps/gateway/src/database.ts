import type { DatabaseSettings } from '@finfusion/runtime';
import { ApiKeyEntity } from './merchants/api-key.entity';
import { MerchantEntity } from './merchants/merchant.entity';
import { gatewayMigrations } from './migrations';

/** One definition for the app, its commands and the tests. */
export const gatewayDatabase = (
  url: string,
  schema: string,
  poolSize?: number,
): DatabaseSettings => ({
  url,
  schema,
  entities: [MerchantEntity, ApiKeyEntity],
  migrations: gatewayMigrations,
  poolSize,
});
