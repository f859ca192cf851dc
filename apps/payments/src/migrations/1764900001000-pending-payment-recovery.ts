import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@finfusion/event-store';

/**
 * What the recovery of pending payments needs: an index of the pending payments by age, and the
 * test acquirer's record of its answers, one per reference (the acquirer's own state, kept here
 * because the test acquirer runs inside this service).
 */
export class PendingPaymentRecovery1764900001000 implements MigrationInterface {
  name = 'PendingPaymentRecovery1764900001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS payments_pending_created ON "${schema}".payments (created_at)
         WHERE status = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".test_acquirer_authorizations (
        reference text PRIMARY KEY,
        outcome jsonb NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${schema}".test_acquirer_authorizations`);
    await queryRunner.query(`DROP INDEX "${schema}".payments_pending_created`);
  }
}
