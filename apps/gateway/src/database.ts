import { serviceDatabase } from '@finfusion/runtime';
import { ApiKeyEntity } from './merchants/api-key.entity';
import { MerchantEntity } from './merchants/merchant.entity';
import { gatewayMigrations } from './migrations';

export const gatewayDatabase = serviceDatabase({
  entities: [MerchantEntity, ApiKeyEntity],
  migrations: gatewayMigrations,
});
