import type { VoiceCall } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { assertOptionalUuid } from '../ids.js';
import { toPrismaPage, type PageArgs } from '../paging.js';
import type { PrismaQuery } from '../prismaQuery.js';

export interface VoiceCallFilter {
  conversationId?: string;
  clientId?: string;
  staffId?: string;
  direction?: 'inbound' | 'outbound';
  /** Only calls that left a voicemail. */
  withVoicemail?: boolean;
}

function where(businessId: string, f: VoiceCallFilter) {
  assertOptionalUuid(f.conversationId, ['filter', 'conversationId']);
  assertOptionalUuid(f.clientId, ['filter', 'clientId']);
  assertOptionalUuid(f.staffId, ['filter', 'staffId']);
  return {
    businessId,
    ...(f.conversationId ? { conversationId: f.conversationId } : {}),
    ...(f.clientId ? { clientId: f.clientId } : {}),
    ...(f.staffId ? { staffId: f.staffId } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
    ...(f.withVoicemail ? { recordingUrl: { not: null } } : {}),
  };
}

/** A business's calls, newest first (index voice_calls(business_id, created_at desc)). */
export async function listVoiceCalls(deps: Deps, input: { businessId: string; filter?: VoiceCallFilter; page?: PageArgs }, query: PrismaQuery = {}): Promise<VoiceCall[]> {
  return (await deps.prisma.voiceCall.findMany({
    ...(query as object),
    where: where(input.businessId, input.filter ?? {}),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    ...toPrismaPage(input.page ?? {}),
  })) as VoiceCall[];
}

export async function countVoiceCalls(deps: Deps, input: { businessId: string; filter?: VoiceCallFilter }): Promise<number> {
  return deps.prisma.voiceCall.count({ where: where(input.businessId, input.filter ?? {}) });
}
