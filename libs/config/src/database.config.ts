import { Matches } from 'class-validator';

/** A Postgres connection URL. */
export const PostgresUrl = (): PropertyDecorator =>
  Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' });

/** A Postgres role name as the grants spell it: lower case, unquoted, at most 63 bytes. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * What a migration command needs, and nothing else: a migrate Job connects as the schemas' owner
 * and holds none of the apps' secret keys.
 */
export class DatabaseConfig {
  /** The owner role's connection: it creates and owns the schema, its tables and triggers. */
  @PostgresUrl()
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/finfusion';

  /**
   * The role the service runs as: after the migrations it is granted what the service needs in
   * its schema and nothing more (empty: no grants, the service connects as the owner).
   */
  @Matches(new RegExp(`${ROLE_NAME.source}|^$`), {
    message: 'must be a role name: a-z, 0-9 and _, not starting with a digit, at most 63',
  })
  DATABASE_SERVICE_ROLE: string = '';
}
