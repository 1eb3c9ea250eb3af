import { lockCampaign } from '../../db/sql/campaigns.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { campaignConflict, campaignNotFound, type CampaignView } from './campaignFields.js';

/** Deletes a draft (anything else: 409 CAMPAIGN_NOT_DRAFT; cancel a campaign that was started or scheduled). */
export async function deleteCampaign(deps: Deps, input: { principal: Principal | null; businessId: string; id: string }): Promise<void> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  await runTransaction(deps, async (tx) => {
    const locked = await lockCampaign(tx.sql, id, input.businessId);
    if (!locked) throw campaignNotFound(id, input.businessId);
    if (locked.status !== 'draft') throw campaignConflict('CAMPAIGN_NOT_DRAFT', id, locked.status as CampaignView['status'], 'only a draft can be deleted (cancel it instead)');
    await tx.prisma.campaign.delete({ where: { id } });
  });
}
