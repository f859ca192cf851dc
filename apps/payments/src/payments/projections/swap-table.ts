import type { EntityManager } from 'typeorm';

// Rebuilt read models are filled in a table of their own while the live one serves, then take
// its place in one short transaction.

/** Replaces `live` by `next`, giving its indexes (and so its constraints) the live ones' names. */
export async function swapTable(manager: EntityManager, live: string, next: string): Promise<void> {
  const [schema, liveName] = splitName(live);
  const [, nextName] = splitName(next);
  const indexes = await manager.query<{ table: string; name: string; definition: string }[]>(
    `SELECT tablename AS table, indexname AS name, indexdef AS definition
       FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2::text[])`,
    [schema, [liveName, nextName]],
  );
  // CREATE [UNIQUE] INDEX <name> ON <schema>.<table> USING …: equal once name and table are cut.
  const shape = (definition: string) => definition.replace(/^(.*?INDEX )\S+ ON \S+/, '$1');
  const renames = indexes
    .filter((index) => index.table === nextName)
    .map((index) => {
      const old = indexes.find(
        (o) => o.table === liveName && shape(o.definition) === shape(index.definition),
      );
      if (!old) throw new Error(`no index of ${live} matches ${index.name} of ${next}`);
      return { from: index.name, to: old.name };
    });
  await manager.query(`DROP TABLE ${live}`);
  await manager.query(`ALTER TABLE ${next} RENAME TO ${liveName}`);
  for (const { from, to } of renames) {
    await manager.query(`ALTER INDEX "${schema}"."${from}" RENAME TO "${to}"`);
  }
}

/** `"schema".table` → [schema, table]. */
function splitName(quoted: string): [string, string] {
  const match = /^"([^"]+)"\.(\w+)$/.exec(quoted);
  if (!match?.[1] || !match[2]) throw new Error(`unexpected table name ${quoted}`);
  return [match[1], match[2]];
}
