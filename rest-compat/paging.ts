// REST paging (contract): `page` from 1 and `page_size` 1..100 (default 20), or `cursor` (the
// next_cursor of the previous page) for keyset paging. Answers {items, total, page, page_size, next_cursor}.
import type { PageArgs } from '../src/domain/paging.js';

/** Deepest page by number (10,000 pages of 100 rows); deeper lists are walked by cursor, which costs what the first page costs. */
export const MAX_PAGE = 10_000;

export const pagingQuery = {
  page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, description: `Page number, from 1 to ${MAX_PAGE} (ignored with cursor; walk deeper by cursor).` },
  page_size: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  cursor: { type: 'string', format: 'uuid', description: 'next_cursor of the previous page (keyset paging).' },
} as const;

export interface PagingQuery {
  page?: number;
  page_size?: number;
  cursor?: string;
}

export function restPage(q: PagingQuery): { args: PageArgs; page: number; pageSize: number } {
  const pageSize = q.page_size ?? 20;
  const page = q.page ?? 1;
  return q.cursor
    ? { args: { take: pageSize + 1, cursor: { id: q.cursor } }, page, pageSize }
    : { args: { take: pageSize + 1, skip: (page - 1) * pageSize }, page, pageSize };
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

export function listSchema(item: object) {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      total: { type: 'integer' },
      page: { type: 'integer' },
      page_size: { type: 'integer' },
      next_cursor: { type: 'string', nullable: true },
    },
    required: ['items', 'total', 'page', 'page_size', 'next_cursor'],
  } as const;
}
