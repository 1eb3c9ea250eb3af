import type { KeysetPage } from '../db/sql/selectConversationPage.js';
import { ValidationError } from './errors.js';
import { isUuid } from './ids.js';

/**
 * A page request in Prisma's terms, which is what both callers speak: Pothos connections pass
 * { take: first+1 (negative for last), skip: 1 with a cursor, cursor: { id } }, and REST builds
 * { take, skip } from page/page_size, or { take, cursor } from its cursor.
 *
 * A cursor always means the rows after it (before it, with a negative take), never the cursor's
 * own row: `skip` counts only without a cursor. Every list reads PageArgs through toKeysetPage or
 * toPrismaPage, which both hold to that.
 */
export interface PageArgs {
  take?: number;
  skip?: number;
  cursor?: { id: string };
}

export const MAX_PAGE_SIZE = 100;

function assertCursor(cursor: { id: string } | undefined): void {
  if (cursor && !isUuid(cursor.id)) {
    throw new ValidationError([{ type: 'value_error', loc: ['cursor'], msg: 'is not a cursor from this list', input: cursor.id }]);
  }
}

/**
 * PageArgs for a Prisma findMany (lists short enough for Prisma's own cursor paging): at most
 * MAX_PAGE_SIZE + 1 rows, and with a cursor `skip: 1`, which leaves the cursor's row out whatever
 * skip the caller gave (Prisma's cursor alone starts at that row, and the row came twice).
 */
export function toPrismaPage(args: PageArgs, defaultTake = 21): { take: number; skip?: number; cursor?: { id: string } } {
  assertCursor(args.cursor);
  const requested = args.take ?? defaultTake;
  const take = Math.sign(requested) * Math.min(Math.abs(requested), MAX_PAGE_SIZE + 1);
  if (args.cursor) return { take, skip: 1, cursor: { id: args.cursor.id } };
  return args.skip ? { take, skip: Math.max(0, args.skip) } : { take };
}

export function toKeysetPage(args: PageArgs, defaultSize = 20): KeysetPage {
  const take = args.take ?? defaultSize;
  assertCursor(args.cursor);
  return {
    limit: Math.min(Math.abs(take), MAX_PAGE_SIZE + 1),
    backwards: take < 0,
    ...(args.cursor ? { afterId: args.cursor.id } : { offset: Math.max(0, args.skip ?? 0) }),
  };
}

/** Deepest offset a ranked list (search) is read to: 10,000 pages of 100, as REST's page allows. */
export const MAX_OFFSET = 1_000_000;

/**
 * A window of a ranked list by size and offset (searches, whose callers say `first` and `offset`):
 * the size from 0 to MAX_PAGE_SIZE, the offset from 0 to MAX_OFFSET. A negative one reached SQL as
 * "OFFSET must not be negative".
 */
export function pageWindow(input: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const issues = [
    ...(Number.isInteger(limit) && limit >= 0 && limit <= MAX_PAGE_SIZE ? [] : [{ type: 'value_error', loc: ['limit'], msg: `must be a whole number from 0 to ${MAX_PAGE_SIZE}`, input: limit }]),
    ...(Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET ? [] : [{ type: 'value_error', loc: ['offset'], msg: `must be a whole number from 0 to ${MAX_OFFSET}`, input: offset }]),
  ];
  if (issues.length) throw new ValidationError(issues);
  return { limit, offset };
}
