import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventStoreSql, dropEventStoreSql, schemaOf } from '@finfusion/event-store';

export class CreatePayments1764200000000 implements MigrationInterface {
  name = 'CreatePayments1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    // The event log is the source of truth and the outbox of the relay.
    for (const statement of createEventStoreSql(schema)) await queryRunner.query(statement);

    // The payments read model: written in the transaction of each append, read by GET and lists.
    await queryRunner.query(`
      CREATE TABLE "${schema}".payments (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        amount_value integer NOT NULL CHECK (amount_value > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        payment_method_id text NOT NULL,
        card_brand text NOT NULL,
        card_last4 text NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
        card_exp_month smallint NOT NULL CHECK (card_exp_month BETWEEN 1 AND 12),
        card_exp_year smallint NOT NULL,
        card_fingerprint text NOT NULL,
        customer_id text,
        failure_code text,
        failure_decline_code text,
        failure_message text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        version integer NOT NULL CHECK (version > 0)
      )`);
    // Lists are newest first within a merchant, optionally by status or customer.
    await queryRunner.query(
      `CREATE INDEX payments_merchant_created ON "${schema}".payments
         (merchant_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_merchant_status_created ON "${schema}".payments
         (merchant_id, status, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_merchant_customer_created ON "${schema}".payments
         (merchant_id, customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL`,
    );

    // Written with PaymentCreated: a merchant's key can create one payment, ever, even when the
    // gateway's own idempotency record is gone. The database decides, not a prior read.
    await queryRunner.query(`
      CREATE TABLE "${schema}".idempotency_keys (
        payment_id text PRIMARY KEY,
        merchant_id text NOT NULL,
        idempotency_key text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_keys_merchant_key_unique UNIQUE (merchant_id, idempotency_key)
      )`);

    // The daily summary projection, maintained asynchronously from the log.
    await queryRunner.query(`
      CREATE TABLE "${schema}".daily_summaries (
        merchant_id text NOT NULL,
        day date NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        count integer NOT NULL,
        volume bigint NOT NULL,
        PRIMARY KEY (merchant_id, day, currency, status)
      )`);

    // Which customers each merchant has, learnt from customers.customer.events: payments may not
    // read the customers schema.
    await queryRunner.query(`
      CREATE TABLE "${schema}".known_customers (
        customer_id text PRIMARY KEY,
        merchant_id text NOT NULL,
        deleted boolean NOT NULL,
        sequence integer NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    for (const table of ['known_customers', 'daily_summaries', 'idempotency_keys', 'payments']) {
      await queryRunner.query(`DROP TABLE "${schema}".${table}`);
    }
    for (const statement of dropEventStoreSql(schema)) await queryRunner.query(statement);
  }
}
