import type { Prisma } from '../../generated/prisma/client.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { toPrismaPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';
import { isSavedReplyChannel, normaliseShortcut, SAVED_REPLY_CHANNELS, SAVED_REPLY_SEARCH_MAX, type SavedReplyView } from './savedReplyFields.js';

export interface ListSavedRepliesInput {
  principal: Principal | null;
  businessId: string;
  /** Part of the name or of the shortcut (case-insensitive; a leading '/' is ignored for the shortcut). */
  search?: string | null;
  /** The replies usable at this location: its own and the business-wide ones (location null). */
  locationId?: string | null;
  /** sms or email: the replies of that channel and those for any; any: only those for any. */
  channel?: string | null;
  page?: PageArgs;
}

function where(input: ListSavedRepliesInput): Prisma.SavedReplyWhereInput {
  const issues: FieldIssue[] = [];
  const search = input.search?.trim() || null;
  if (search && search.length > SAVED_REPLY_SEARCH_MAX) issues.push({ type: 'string_too_long', loc: ['search'], msg: `At most ${SAVED_REPLY_SEARCH_MAX} characters`, input: search.length });
  if (input.channel != null && !isSavedReplyChannel(input.channel)) issues.push({ type: 'enum', loc: ['channel'], msg: `One of ${SAVED_REPLY_CHANNELS.join(', ')}`, input: input.channel });
  if (issues.length) throw new ValidationError(issues);
  const locationId = assertOptionalUuid(input.locationId, ['locationId']);
  const and: Prisma.SavedReplyWhereInput[] = [{ businessId: input.businessId }];
  if (search) {
    // Prisma's contains is LIKE: its wildcards in the text are escaped (backslash, PostgreSQL's default escape).
    const like = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const shortcut = normaliseShortcut(search);
    and.push({ OR: [{ name: { contains: like(search), mode: 'insensitive' } }, ...(shortcut ? [{ shortcut: { contains: like(shortcut) } }] : [])] });
  }
  if (locationId) and.push({ OR: [{ locationId: null }, { locationId }] });
  if (input.channel) and.push({ channel: { in: input.channel === 'any' ? ['any'] : [input.channel, 'any'] } });
  return { AND: and };
}

/** A business's saved replies by name (then id), filtered; sessions and keys of the business. At most MAX_SAVED_REPLIES exist: Prisma's cursor paging is enough. */
export async function listSavedReplies(deps: Deps, input: ListSavedRepliesInput, query: PrismaQuery = {}): Promise<SavedReplyView[]> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return (await deps.prisma.savedReply.findMany({
    ...(query as object),
    where: where(input),
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    ...toPrismaPage(input.page ?? {}),
  })) as SavedReplyView[];
}

export async function countSavedReplies(deps: Deps, input: ListSavedRepliesInput): Promise<number> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return deps.prisma.savedReply.count({ where: where(input) });
}
