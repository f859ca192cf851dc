import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { fail, ok, type ListPage, type ListParams, type ServiceReply } from '@finfusion/contracts';

/** The columns a list is ordered by: a timestamp, and the id that breaks its ties. */
export interface PageKeys {
  createdAt: string;
  id: string;
}

const DEFAULT_KEYS: PageKeys = { createdAt: 'created_at', id: 'id' };

/**
 * Cursor pagination, newest first, over rows with `created_at` and `id` columns (or the columns
 * `keys` names). The cursor row is read inside the query, so the comparison keeps the database's
 * full timestamp precision. `query` must already be scoped to the merchant; a cursor outside that
 * scope is a 400. Answers with the reply of a list request: the page, or that 400.
 */
export async function paginate<E extends ObjectLiteral, T>(
  query: SelectQueryBuilder<E>,
  params: ListParams,
  toResource: (row: E) => T,
  keys: PageKeys = DEFAULT_KEYS,
): Promise<ServiceReply<ListPage<T>>> {
  const alias = query.alias;
  const [createdAt, id] = [`${alias}.${keys.createdAt}`, `${alias}.${keys.id}`];
  const cursorParam = params.starting_after !== undefined ? 'starting_after' : 'ending_before';
  const cursor = params.starting_after ?? params.ending_before;
  const forward = params.ending_before === undefined;

  if (cursor !== undefined) {
    const exists = await query.clone().andWhere(`${id} = :cursor`, { cursor }).getExists();
    if (!exists) {
      return fail(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such object for ${cursorParam}.`,
        param: cursorParam,
      });
    }
    const table = query.expressionMap.mainAlias?.metadata.tablePath ?? '';
    query.andWhere(
      `(${createdAt}, ${id}) ${forward ? '<' : '>'} ` +
        `(SELECT c.${keys.createdAt}, c.${keys.id} FROM ${table} c WHERE c.${keys.id} = :cursor)`,
      { cursor },
    );
  }

  const order = forward ? 'DESC' : 'ASC';
  const rows = await query
    .orderBy(createdAt, order)
    .addOrderBy(id, order)
    .take(params.limit + 1)
    .getMany();
  const hasMore = rows.length > params.limit;
  const page = rows.slice(0, params.limit);
  if (!forward) page.reverse();
  return ok({ object: 'list', data: page.map(toResource), has_more: hasMore });
}
