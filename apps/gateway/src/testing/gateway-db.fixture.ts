import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '@finfusion/runtime';
import { testEnv } from '@finfusion/testing';
import { gatewayDatabase } from '../database';
import { MerchantDirectory } from '../merchants/merchant-directory';

/** A migrated schema of its own per test file; tests also use a merchant of their own. */
export interface GatewayTestDb {
  schema: string;
  dataSource: DataSource;
  directory: MerchantDirectory;
  newMerchant(): Promise<{ merchantId: string; apiKey: string; keyId: string }>;
  close(): Promise<void>;
}

export async function openGatewayTestDb(): Promise<GatewayTestDb> {
  const schema = `gateway_test_${randomBytes(4).toString('hex')}`;
  const dataSource = new DataSource(
    dataSourceOptions(gatewayDatabase(testEnv.databaseUrl, schema, 20)),
  );
  await dataSource.initialize();
  await migrate(dataSource, schema);
  const directory = new MerchantDirectory(dataSource);
  return {
    schema,
    dataSource,
    directory,
    async newMerchant() {
      const { merchant, key } = await directory.createMerchant(
        `Test ${randomBytes(3).toString('hex')}`,
      );
      return { merchantId: merchant.id, apiKey: key.api_key, keyId: key.key_id };
    },
    async close() {
      await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
