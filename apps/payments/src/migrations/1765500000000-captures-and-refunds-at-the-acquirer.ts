import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@finfusion/event-store';

const TEST_ACQUIRER_TABLES = [
  // By payment id: captured or voided, whichever came first.
  'test_acquirer_authorization_ends',
  // By payment id: how the refunds of a refund-failing test card fail.
  'test_acquirer_refund_failures',
  // By refund id: the answer to the refund.
  'test_acquirer_refunds',
];

/**
 * The rest of the test acquirer's records (its authorizations came with 1764900001000): one
 * outcome per reference, the first one given, as a real acquirer keeps its transactions. And
 * the pending refunds by age, which the recovery asks the acquirer about again.
 */
export class CapturesAndRefundsAtTheAcquirer1765500000000 implements MigrationInterface {
  name = 'CapturesAndRefundsAtTheAcquirer1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    for (const table of TEST_ACQUIRER_TABLES) {
      await queryRunner.query(`
        CREATE TABLE IF NOT EXISTS "${schema}".${table} (
          reference text PRIMARY KEY,
          outcome jsonb NOT NULL,
          recorded_at timestamptz(3) NOT NULL DEFAULT now()
        )`);
    }
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS refunds_pending_created ON "${schema}".refunds (created_at)
         WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX "${schema}".refunds_pending_created`);
    for (const table of TEST_ACQUIRER_TABLES.toReversed()) {
      await queryRunner.query(`DROP TABLE "${schema}".${table}`);
    }
  }
}
