import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema the data source names, so tests could migrate a schema of their own. */
export const schemaOf = (queryRunner: QueryRunner): string => {
  const schema = queryRunner.connection.driver.schema;
  if (schema === undefined) throw new Error('the gateway data source must name its schema');
  return schema;
};

export class CreateGateway1764200000000 implements MigrationInterface {
  name = 'CreateGateway1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}".merchants (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "${schema}".api_keys (
        id text PRIMARY KEY,
        merchant_id text NOT NULL REFERENCES "${schema}".merchants (id),
        -- SHA-256 of the key, hex: the key itself is never stored.
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        display_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX api_keys_merchant ON "${schema}".api_keys (merchant_id, created_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE "${schema}".idempotency_keys (
        merchant_id text NOT NULL REFERENCES "${schema}".merchants (id),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        method text NOT NULL,
        path text NOT NULL,
        -- SHA-256 of the body's canonical JSON.
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        -- Who holds an in_progress record: only that request may complete or release it.
        lock_id uuid NOT NULL,
        locked_at timestamptz NOT NULL,
        response_status integer,
        -- json, not jsonb: a replay sends the first response's bytes, key order included.
        response_body json,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, key),
        CHECK (state = 'in_progress' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_expires ON "${schema}".idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${schema}".idempotency_keys`);
    await queryRunner.query(`DROP TABLE "${schema}".api_keys`);
    await queryRunner.query(`DROP TABLE "${schema}".merchants`);
  }
}
