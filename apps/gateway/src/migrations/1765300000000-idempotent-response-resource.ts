import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './1764200000000-create-gateway';

/**
 * The id of the resource a kept response returned, so deleting that resource (a customer, whose
 * reply holds personal data) deletes the responses kept about it. Empty for records written
 * before, which expire within IDEMPOTENCY_TTL_HOURS (their plaintext bodies are matched on id).
 */
export class IdempotentResponseResource1765300000000 implements MigrationInterface {
  name = 'IdempotentResponseResource1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${schema}".idempotency_keys ADD COLUMN resource_id text`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_resource ON "${schema}".idempotency_keys
         (merchant_id, resource_id) WHERE resource_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX "${schema}".idempotency_keys_resource`);
    await queryRunner.query(`ALTER TABLE "${schema}".idempotency_keys DROP COLUMN resource_id`);
  }
}
