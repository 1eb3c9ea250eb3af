import type { KeysetPage } from '../db/sql/selectConversationPage.js';
import { ValidationError } from './errors.js';
import { isUuid } from './ids.js';

/**
 * A page request in Prisma's terms, which is what both callers speak: Pothos connections pass
 * { take: first+1 (negative for last), skip: 1 with a cursor, cursor: { id } }, and REST builds the
 * the same from page/page_size or cursor.
 */
export interface PageArgs {
  take?: number;
  skip?: number;
  cursor?: { id: string };
}

export const MAX_PAGE_SIZE = 100;

export function toKeysetPage(args: PageArgs, defaultSize = 20): KeysetPage {
  const take = args.take ?? defaultSize;
  if (args.cursor && !isUuid(args.cursor.id)) {
    throw new ValidationError([{ type: 'value_error', loc: ['query', 'cursor'], msg: 'is not a cursor from this list', input: args.cursor.id }]);
  }
  return {
    limit: Math.min(Math.abs(take), MAX_PAGE_SIZE + 1),
    backwards: take < 0,
    ...(args.cursor ? { afterId: args.cursor.id } : { offset: Math.max(0, args.skip ?? 0) }),
  };
}
