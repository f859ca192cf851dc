import { dropNotifyOnInsertSql, notifyOnInsertSql } from './notifications';

/**
 * The event log's table in each owning schema. A service's role may only SELECT and INSERT it
 * (the migrate command's grants); the triggers below refuse changes even to its owner.
 */
export const EVENT_LOG_TABLE = 'events';

/**
 * DDL of the event log, one per owning schema. The log is append-only by the database's rule:
 * triggers refuse UPDATE, DELETE and TRUNCATE. `transaction_id` lets readers follow the log by
 * position without skipping a transaction that commits after a later position (see subscription.ts).
 */
export const createEventStoreSql = (schema: string): string[] => [
  `CREATE TABLE "${schema}".events (
    global_position bigserial PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL,
    stream_version integer NOT NULL CHECK (stream_version > 0),
    event_id text NOT NULL UNIQUE,
    event_type text NOT NULL,
    schema_version integer NOT NULL DEFAULT 1,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at timestamptz(3) NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
  )`,
  `CREATE INDEX events_transaction_position ON "${schema}".events (transaction_id, global_position)`,
  `CREATE FUNCTION "${schema}".refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'the event log is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
       USING ERRCODE = 'restrict_violation';
   END $$`,
  `CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON "${schema}".events
     FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse_event_change()`,
  `CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON "${schema}".events
     FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".refuse_event_change()`,
  `CREATE TABLE "${schema}".checkpoints (
    subscription_id text PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT '0'::xid8,
    global_position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
];

export const dropEventStoreSql = (schema: string): string[] => [
  `DROP TABLE IF EXISTS "${schema}".checkpoints`,
  `DROP TABLE IF EXISTS "${schema}".events`,
  `DROP FUNCTION IF EXISTS "${schema}".refuse_event_change()`,
];

/**
 * DDL that makes a transaction appending to the log notify `eventsChannel(schema)` at commit
 * while a subscription sleeps, so it wakes at once instead of polling; subscriptions that are
 * awake follow the log by themselves (see subscription.ts). A migration of its own after
 * `createEventStoreSql`.
 */
export const notifyOnAppendSql = (schema: string): string[] => [
  // Set by a subscription that has caught up and sleeps; appends notify only while one does.
  `ALTER TABLE "${schema}".checkpoints ADD COLUMN IF NOT EXISTS sleeping_until timestamptz(3)`,
  ...notifyOnInsertSql(
    schema,
    'events',
    `EXISTS (SELECT 1 FROM "${schema}".checkpoints WHERE sleeping_until > now())`,
  ),
];

export const dropNotifyOnAppendSql = (schema: string): string[] => [
  ...dropNotifyOnInsertSql(schema, 'events'),
  `ALTER TABLE "${schema}".checkpoints DROP COLUMN IF EXISTS sleeping_until`,
];
