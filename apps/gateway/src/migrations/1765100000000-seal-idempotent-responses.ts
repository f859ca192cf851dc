import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './1764200000000-create-gateway';

/**
 * Kept responses are stored encrypted, with the id of the key that sealed them. response_body
 * stays for records written before, which expire within IDEMPOTENCY_TTL_HOURS.
 */
export class SealIdempotentResponses1765100000000 implements MigrationInterface {
  name = 'SealIdempotentResponses1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      ALTER TABLE "${schema}".idempotency_keys
        ADD COLUMN response_key_id text,
        ADD COLUMN response_sealed bytea,
        DROP CONSTRAINT idempotency_keys_check,
        ADD CONSTRAINT idempotency_keys_response CHECK (
          state = 'in_progress' OR (response_status IS NOT NULL AND (
            response_body IS NOT NULL
            OR (response_key_id IS NOT NULL AND response_sealed IS NOT NULL))))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      DELETE FROM "${schema}".idempotency_keys WHERE response_sealed IS NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE "${schema}".idempotency_keys
        DROP CONSTRAINT idempotency_keys_response,
        DROP COLUMN response_sealed,
        DROP COLUMN response_key_id,
        ADD CONSTRAINT idempotency_keys_check CHECK (
          state = 'in_progress' OR (response_status IS NOT NULL AND response_body IS NOT NULL))`);
  }
}
