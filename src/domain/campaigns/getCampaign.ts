import type { CampaignStatus } from '../../generated/prisma/enums.js';
import { countCampaignRecipients, selectCampaignProgress, selectCampaignRecipientPage, type CampaignRecipientRow } from '../../db/sql/campaigns.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { assertUuid, isUuid } from '../ids.js';
import { MAX_PAGE_SIZE, toPrismaPage, type PageArgs } from '../paging.js';
import { toCampaignCounts, type CampaignCounts } from './campaignEvents.js';
import { campaignNotFound, toCampaignView, type CampaignView } from './campaignFields.js';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'canceled'];
export const RECIPIENT_STATES = ['pending', 'queued', 'skipped'] as const;

export async function getCampaign(deps: Deps, input: { principal: Principal | null; businessId: string; id: string }): Promise<CampaignView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const row = await deps.prisma.campaign.findFirst({ where: { id, businessId: input.businessId } });
  if (!row) throw campaignNotFound(id, input.businessId);
  return toCampaignView(row);
}

/** A business's campaigns, newest first (ids are time-ordered), optionally of some statuses. */
export async function listCampaigns(deps: Deps, input: { principal: Principal | null; businessId: string; statuses?: CampaignStatus[] | null; page?: PageArgs }): Promise<CampaignView[]> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const rows = await deps.prisma.campaign.findMany({
    where: { businessId: input.businessId, ...(input.statuses?.length ? { status: { in: input.statuses } } : {}) },
    orderBy: { id: 'desc' },
    ...toPrismaPage(input.page ?? {}),
  });
  return rows.map(toCampaignView);
}

export async function countCampaigns(deps: Deps, input: { principal: Principal | null; businessId: string; statuses?: CampaignStatus[] | null }): Promise<number> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return deps.prisma.campaign.count({ where: { businessId: input.businessId, ...(input.statuses?.length ? { status: { in: input.statuses } } : {}) } });
}

/** The campaign's live counts (one statement); the caller has checked the campaign is the business's. */
export async function campaignCounts(deps: Deps, campaignId: string): Promise<CampaignCounts> {
  return toCampaignCounts(await selectCampaignProgress(deps.sql, campaignId));
}

export interface CampaignRecipientView {
  campaignId: string;
  businessId: string;
  clientId: string;
  state: string;
  reason: string | null;
  messageId: string | null;
  messageStatus: string | null;
  updatedAt: Date;
}

/**
 * A page of the campaign's recipients in client id order: `take` (negative: not supported, 422),
 * after a cursor (a client id) or from an offset; optionally of one state.
 */
export async function listCampaignRecipients(
  deps: Deps,
  input: { principal: Principal | null; businessId: string; id: string; state?: string | null; page?: PageArgs },
): Promise<{ items: CampaignRecipientView[]; total: number }> {
  const campaign = await getCampaign(deps, input);
  const page = input.page ?? {};
  const take = page.take ?? 21;
  if (take < 0) throw new ValidationError([{ type: 'value_error', loc: ['last'], msg: 'Recipients page forwards only (first/after)' }]);
  if (page.cursor && !isUuid(page.cursor.id)) throw new ValidationError([{ type: 'value_error', loc: ['cursor'], msg: 'is not a cursor from this list', input: page.cursor.id }]);
  const state = input.state ?? null;
  const [rows, total] = await Promise.all([
    selectCampaignRecipientPage(deps.sql, campaign.id, {
      limit: Math.min(take, MAX_PAGE_SIZE + 1),
      afterClientId: page.cursor?.id ?? null,
      offset: page.cursor ? 0 : Math.max(0, page.skip ?? 0),
      state,
    }),
    countCampaignRecipients(deps.sql, campaign.id, state),
  ]);
  return { items: rows.map((r) => toRecipientView(campaign, r)), total };
}

function toRecipientView(c: CampaignView, r: CampaignRecipientRow): CampaignRecipientView {
  return { campaignId: c.id, businessId: c.businessId, clientId: r.client_id, state: r.state, reason: r.reason, messageId: r.message_id, messageStatus: r.message_status, updatedAt: r.updated_at };
}
