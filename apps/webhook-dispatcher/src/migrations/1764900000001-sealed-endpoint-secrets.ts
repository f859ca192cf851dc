import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from './schema-of';

/**
 * Signing secrets are sealed with a key of the dispatcher's (WEBHOOK_SECRET_KEYS), named by
 * `key_id`. Rows from before have no key id: their secret is plaintext until the dispatcher,
 * at its next start, seals it (a migration cannot, without the key).
 */
export class SealedEndpointSecrets1764900000001 implements MigrationInterface {
  name = 'SealedEndpointSecrets1764900000001';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`ALTER TABLE ${s}.endpoint_secrets ADD COLUMN key_id text`);
    // The start-up step finds what to seal again (plaintext, or an older key) through this.
    await runner.query(`CREATE INDEX endpoint_secrets_key ON ${s}.endpoint_secrets (key_id, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${schemaOf(runner)}"`;
    await runner.query(`DROP INDEX ${s}.endpoint_secrets_key`);
    await runner.query(`ALTER TABLE ${s}.endpoint_secrets DROP COLUMN key_id`);
  }
}
