import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@finfusion/event-store';

/**
 * The read models learn manual capture, cancellation and refunds: the payments table gains their
 * columns (a payment stored before is an automatic one, captured in full once succeeded), the
 * refunds get a table of their own for GET /v2/refunds, the daily summary counts captured
 * and refunded amounts, and an Idempotency-Key may claim a refund of a payment. Adding a column with a constant default rewrites nothing; only the
 * succeeded rows are written once, to record what they captured.
 */
export class CapturesCancellationsRefunds1765400000000 implements MigrationInterface {
  name = 'CapturesCancellationsRefunds1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    const payments = `"${schema}".payments`;
    await queryRunner.query(`
      ALTER TABLE ${payments}
        DROP CONSTRAINT payments_status_check,
        ADD CONSTRAINT payments_status_check
          CHECK (status IN ('pending', 'requires_capture', 'succeeded', 'failed', 'canceled')),
        ADD COLUMN capture_method text NOT NULL DEFAULT 'automatic'
          CHECK (capture_method IN ('automatic', 'manual')),
        ADD COLUMN amount_captured integer NOT NULL DEFAULT 0 CHECK (amount_captured >= 0),
        ADD COLUMN amount_refunded integer NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
        ADD COLUMN capture_before timestamptz(3),
        ADD COLUMN canceled_at timestamptz(3),
        ADD COLUMN cancellation_reason text,
        ADD COLUMN refunds jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(
      `UPDATE ${payments} SET amount_captured = amount_value WHERE status = 'succeeded'`,
    );
    // The authorizations waiting for a capture, by deadline: what the expiry process reads.
    await queryRunner.query(
      `CREATE INDEX payments_capture_due ON ${payments} (capture_before)
         WHERE status = 'requires_capture'`,
    );

    await queryRunner.query(`
      CREATE TABLE "${schema}".refunds (
        id text PRIMARY KEY,
        payment_id text NOT NULL,
        merchant_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        amount_value integer NOT NULL CHECK (amount_value > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        reason text,
        failure_code text,
        failure_message text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        version integer NOT NULL CHECK (version > 0)
      )`);
    // Lists are newest first within a merchant, optionally for one payment.
    await queryRunner.query(
      `CREATE INDEX refunds_merchant_created ON "${schema}".refunds
         (merchant_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX refunds_merchant_payment_created ON "${schema}".refunds
         (merchant_id, payment_id, created_at DESC, id DESC)`,
    );

    // An Idempotency-Key now claims a refund as well as a payment, so one payment may be named
    // by many keys: the key itself is the table's identity.
    await queryRunner.query(`
      ALTER TABLE "${schema}".idempotency_keys
        DROP CONSTRAINT idempotency_keys_pkey,
        DROP CONSTRAINT idempotency_keys_merchant_key_unique,
        ADD CONSTRAINT idempotency_keys_merchant_key_unique PRIMARY KEY (merchant_id, idempotency_key)`);

    const summaries = `"${schema}".daily_summaries`;
    await queryRunner.query(`
      ALTER TABLE ${summaries}
        ADD COLUMN captured bigint NOT NULL DEFAULT 0,
        ADD COLUMN refunded bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE ${summaries} SET captured = volume WHERE status = 'succeeded'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(
      `ALTER TABLE "${schema}".daily_summaries DROP COLUMN captured, DROP COLUMN refunded`,
    );
    await queryRunner.query(`DROP TABLE "${schema}".refunds`);
    await queryRunner.query(`
      ALTER TABLE "${schema}".idempotency_keys
        DROP CONSTRAINT idempotency_keys_merchant_key_unique,
        ADD CONSTRAINT idempotency_keys_merchant_key_unique UNIQUE (merchant_id, idempotency_key),
        ADD PRIMARY KEY (payment_id)`);
    await queryRunner.query(`DROP INDEX "${schema}".payments_capture_due`);
    await queryRunner.query(`
      ALTER TABLE "${schema}".payments
        DROP COLUMN capture_method,
        DROP COLUMN amount_captured,
        DROP COLUMN amount_refunded,
        DROP COLUMN capture_before,
        DROP COLUMN canceled_at,
        DROP COLUMN cancellation_reason,
        DROP COLUMN refunds,
        DROP CONSTRAINT payments_status_check,
        ADD CONSTRAINT payments_status_check CHECK (status IN ('pending', 'succeeded', 'failed'))`);
  }
}
