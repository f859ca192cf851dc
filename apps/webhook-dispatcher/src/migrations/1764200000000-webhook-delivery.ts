import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

export class WebhookDelivery1764200000000 implements MigrationInterface {
  name = 'WebhookDelivery1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`CREATE TABLE ${s}.endpoints (
      id text PRIMARY KEY,
      merchant_id text NOT NULL,
      url text NOT NULL,
      events text[] NOT NULL CHECK (cardinality(events) > 0),
      status text NOT NULL CHECK (status IN ('active', 'disabled')),
      disabled_reason text
        CHECK (disabled_reason IN ('requested', 'endpoint_gone', 'continuous_failures')),
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
      failing_since timestamptz(3),
      idempotency_key text,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      deleted_at timestamptz(3),
      -- A create retried with its idempotency key finds the first endpoint instead of a twin.
      CONSTRAINT endpoints_merchant_idempotency_key_unique UNIQUE (merchant_id, idempotency_key)
    )`);
    await runner.query(
      `CREATE INDEX endpoints_merchant_created ON ${s}.endpoints
         (merchant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );

    // Several rows per endpoint while a rotation's overlap lasts; every unexpired one signs.
    await runner.query(`CREATE TABLE ${s}.endpoint_secrets (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      endpoint_id text NOT NULL REFERENCES ${s}.endpoints (id),
      secret text NOT NULL,
      created_at timestamptz(3) NOT NULL,
      expires_at timestamptz(3)
    )`);
    await runner.query(
      `CREATE INDEX endpoint_secrets_endpoint ON ${s}.endpoint_secrets (endpoint_id)`,
    );

    // The body is signed byte for byte: keep the record's text, not jsonb's reordering of it.
    await runner.query(`ALTER TABLE ${s}.received_events ADD COLUMN body text`);
    await runner.query(`UPDATE ${s}.received_events SET body = envelope::text`);
    await runner.query(`ALTER TABLE ${s}.received_events ALTER COLUMN body SET NOT NULL`);

    await runner.query(`CREATE TABLE ${s}.deliveries (
      id text PRIMARY KEY,
      merchant_id text NOT NULL,
      endpoint_id text NOT NULL REFERENCES ${s}.endpoints (id),
      event_id text NOT NULL REFERENCES ${s}.received_events (event_id),
      event_type text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      next_attempt_at timestamptz(3),
      lease_until timestamptz(3),
      lease_token uuid,
      last_attempted_at timestamptz(3),
      last_http_status integer,
      last_duration_ms integer,
      last_error text,
      created_at timestamptz(3) NOT NULL,
      updated_at timestamptz(3) NOT NULL,
      -- One delivery per event and endpoint, however often Kafka redelivers the event.
      CONSTRAINT deliveries_event_endpoint_unique UNIQUE (event_id, endpoint_id),
      CONSTRAINT deliveries_pending_are_scheduled
        CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
    )`);
    await runner.query(
      `CREATE INDEX deliveries_due ON ${s}.deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX deliveries_endpoint_pending ON ${s}.deliveries (endpoint_id)
         WHERE status = 'pending'`,
    );
    // Few rows hold a lease at any time: the claim counts them per endpoint through this index.
    await runner.query(
      `CREATE INDEX deliveries_leased ON ${s}.deliveries (endpoint_id)
         WHERE lease_until IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX deliveries_endpoint_created ON ${s}.deliveries
         (endpoint_id, created_at DESC, id DESC)`,
    );

    // The primary key means one row per attempt number: two workers cannot both record attempt n.
    await runner.query(`CREATE TABLE ${s}.delivery_attempts (
      delivery_id text NOT NULL REFERENCES ${s}.deliveries (id),
      attempt integer NOT NULL CHECK (attempt > 0),
      attempted_at timestamptz(3) NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
      http_status integer,
      duration_ms integer NOT NULL,
      error text,
      PRIMARY KEY (delivery_id, attempt)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`DROP TABLE ${s}.delivery_attempts`);
    await runner.query(`DROP TABLE ${s}.deliveries`);
    await runner.query(`ALTER TABLE ${s}.received_events DROP COLUMN body`);
    await runner.query(`DROP TABLE ${s}.endpoint_secrets`);
    await runner.query(`DROP TABLE ${s}.endpoints`);
  }
}
