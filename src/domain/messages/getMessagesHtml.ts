import type { Deps } from '../deps.js';

/**
 * The HTML of these messages, by id, in one statement (null: none, e.g. an SMS). For rows read
 * without it (an inbox page leaves it out); the caller has already authorized the messages.
 */
export async function getMessagesHtml(deps: Deps, messageIds: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await deps.prisma.message.findMany({ where: { id: { in: [...messageIds] } }, select: { id: true, html: true } });
  return new Map(rows.map((r) => [r.id, r.html]));
}
