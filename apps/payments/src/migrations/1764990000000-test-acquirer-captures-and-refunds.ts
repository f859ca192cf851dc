import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@finfusion/event-store';

const TABLES = [
  // By payment id: captured or voided, whichever came first.
  'test_acquirer_authorization_ends',
  // By payment id: how the refunds of a refund-failing test card fail.
  'test_acquirer_refund_failures',
  // By refund id: the answer to the refund.
  'test_acquirer_refunds',
];

/**
 * The rest of the test acquirer's records (see 1764900001000 for its authorizations): one
 * outcome per reference, the first one given, as a real acquirer keeps its transactions.
 */
export class TestAcquirerCapturesAndRefunds1764990000000 implements MigrationInterface {
  name = 'TestAcquirerCapturesAndRefunds1764990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    for (const table of TABLES) {
      await queryRunner.query(`
        CREATE TABLE IF NOT EXISTS "${schema}".${table} (
          reference text PRIMARY KEY,
          outcome jsonb NOT NULL,
          recorded_at timestamptz(3) NOT NULL DEFAULT now()
        )`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    for (const table of TABLES.toReversed()) {
      await queryRunner.query(`DROP TABLE "${schema}".${table}`);
    }
  }
}
