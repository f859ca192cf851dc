import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventStoreSql, dropEventStoreSql, schemaOf } from '@finfusion/event-store';

/** The customers read model and its list indexes. */
const customersSql = (schema: string): string[] => [
  `
      CREATE TABLE "${schema}".customers (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        email text NOT NULL,
        name text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        idempotency_key text,
        version integer NOT NULL CHECK (version > 0),
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        deleted_at timestamptz(3),
        -- Two creates with one key cannot both insert: the database decides, not a prior read.
        CONSTRAINT customers_merchant_idempotency_key_unique UNIQUE (merchant_id, idempotency_key)
      )`,
  // Lists read only live customers, newest first; deleted rows stay out of these indexes.
  `CREATE INDEX customers_merchant_created ON "${schema}".customers
         (merchant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX customers_merchant_email ON "${schema}".customers
         (merchant_id, lower(email)) WHERE deleted_at IS NULL`,
];

export class CreateCustomers1764100000000 implements MigrationInterface {
  name = 'CreateCustomers1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    // The event log is the outbox: every change appends its event in the same transaction.
    for (const statement of [...customersSql(schema), ...createEventStoreSql(schema)]) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    for (const statement of dropEventStoreSql(schema)) await queryRunner.query(statement);
    await queryRunner.query(`DROP TABLE "${schema}".customers`);
  }
}
