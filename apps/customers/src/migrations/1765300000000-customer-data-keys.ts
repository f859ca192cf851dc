import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ERASED_EMAIL } from '@finfusion/contracts';
import { runStatements, schemaOf } from '@finfusion/event-store';

/**
 * Erases, as the schema's owner, what customers deleted before personal data was sealed left in
 * plaintext: their read-model rows and their stored version 1 events. The log refuses every
 * change by trigger; this one statement, in the migration's transaction, is its only exception.
 * Idempotent: the migrate command runs it again after every migration (see migrate.cli.ts).
 */
export const eraseDeletedPlaintextSql = (schema: string): string[] => [
  `UPDATE "${schema}".customers
      SET email = '${ERASED_EMAIL}', name = NULL, metadata = '{}'::jsonb
    WHERE deleted_at IS NOT NULL
      AND (email <> '${ERASED_EMAIL}' OR name IS NOT NULL OR metadata <> '{}'::jsonb)`,
  `ALTER TABLE "${schema}".events DISABLE TRIGGER events_append_only`,
  `UPDATE "${schema}".events e
      SET data = e.data || jsonb_build_object('email', '${ERASED_EMAIL}', 'name', NULL,
                                              'metadata', '{}'::jsonb)
     FROM "${schema}".customers c
    WHERE c.id = e.stream_id AND c.deleted_at IS NOT NULL AND e.schema_version = 1
      AND (e.data ->> 'email' IS DISTINCT FROM '${ERASED_EMAIL}'
           OR e.data -> 'name' <> 'null'::jsonb OR e.data -> 'metadata' <> '{}'::jsonb)`,
  `ALTER TABLE "${schema}".events ENABLE TRIGGER events_append_only`,
];

/**
 * Each customer's data key (AES-256, wrapped under PERSONAL_DATA_KEYS): events appended from now
 * on seal the customer's email, name and metadata under it (stored version 2), and deleting the
 * customer deletes its key. The service's role may insert, read and delete keys, never change one.
 */
export class CustomerDataKeys1765300000000 implements MigrationInterface {
  name = 'CustomerDataKeys1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await runStatements(queryRunner, [
      `CREATE TABLE "${schema}".customer_keys (
        customer_id text PRIMARY KEY,
        merchant_id text NOT NULL,
        -- The id, in PERSONAL_DATA_KEYS, of the key that wrapped this one.
        kek_id text NOT NULL,
        -- iv ‖ ciphertext ‖ tag of the data key.
        wrapped_key bytea NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`,
      ...eraseDeletedPlaintextSql(schema),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Events sealed under these keys would read as erased: going back loses their personal data.
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}".customer_keys`);
  }
}
