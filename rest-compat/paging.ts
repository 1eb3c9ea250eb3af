// REST paging (contract): `page` from 1 and `page_size` 1..100 (default 20), or `cursor` (the
// next_cursor of the previous page) for keyset paging. Answers {items, total, page, page_size, next_cursor}.
import Type, { type Static, type TObject, type TSchema } from 'typebox';
import { ValidationError } from '../src/domain/errors.js';
import type { PageArgs } from '../src/domain/paging.js';
import { Nullable, Ref } from './schemas.js';

/** Deepest page by number (10,000 pages of 100 rows); deeper lists are walked by cursor, which costs what the first page costs. */
export const MAX_PAGE = 10_000;

export const pagingQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `Page number, from 1 to ${MAX_PAGE} (ignored with cursor; walk deeper by cursor).` })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ format: 'uuid', description: 'next_cursor of the previous page (keyset paging).' })),
};

type PagingQuery = Static<TObject<typeof pagingQuery>>;

export function restPage(q: PagingQuery): { args: PageArgs; page: number; pageSize: number } {
  const pageSize = q.page_size ?? 20;
  const page = q.page ?? 1;
  // A number past a double's range ("1e309") reaches here as Infinity through the query's coercion.
  if (!Number.isSafeInteger(pageSize) || !Number.isSafeInteger(page)) {
    throw new ValidationError([
      { type: 'int_parsing', loc: [Number.isSafeInteger(pageSize) ? 'page' : 'page_size'], msg: 'Input should be a valid integer', input: String(Number.isSafeInteger(pageSize) ? page : pageSize) },
    ]);
  }
  return q.cursor ? { args: { take: pageSize + 1, cursor: { id: q.cursor } }, page, pageSize } : { args: { take: pageSize + 1, skip: (page - 1) * pageSize }, page, pageSize };
}

/** `rows` were fetched with one extra row, which tells whether a next page exists. */
export function restList<T extends { id: string }, R>(rows: T[], paging: { page: number; pageSize: number }, total: number, map: (row: T) => R) {
  const items = rows.slice(0, paging.pageSize);
  return {
    items: items.map(map),
    total,
    page: paging.page,
    page_size: paging.pageSize,
    next_cursor: rows.length > paging.pageSize ? (items.at(-1)?.id ?? null) : null,
  };
}

/**
 * A page of a shared schema's items, written out in each list's answer (the contract's page shape
 * stays readable in place), its items referring to the shared schema.
 */
export function pageSchema<T extends TSchema>(item: T) {
  const name = (item as { $id?: string }).$id;
  return Type.Object(
    {
      items: Type.Array(Ref(item)),
      total: Type.Integer(),
      page: Type.Integer(),
      page_size: Type.Integer(),
      next_cursor: Nullable(Type.String()),
    },
    { description: `A page of ${name} items: \`total\` counts the whole list; \`next_cursor\` continues it (null on the last page).` },
  );
}
