import { lockCampaign } from '../../db/sql/campaigns.js';
import { runTransaction } from '../../db/transaction.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid, assertUuid } from '../ids.js';
import {
  campaignConflict,
  campaignNotFound,
  checkAudience,
  checkContent,
  checkName,
  checkSendAt,
  throwIssues,
  toCampaignView,
  type CampaignAudience,
  type CampaignChannel,
  type CampaignContent,
  type CampaignView,
} from './campaignFields.js';
import { checkReferences } from './createCampaign.js';

export interface UpdateCampaignInput {
  principal: Principal | null;
  businessId: string;
  id: string;
  /** Each field left out (undefined) stays as it is; content is replaced whole when given. */
  name?: string;
  channel?: CampaignChannel;
  audience?: CampaignAudience;
  content?: CampaignContent;
  templateId?: string | null;
  locationId?: string | null;
  sendAt?: Date | null;
  bypassQuietHours?: boolean;
}

/**
 * Changes a campaign that has not started (draft or scheduled; else 409 CAMPAIGN_NOT_EDITABLE). A
 * scheduled campaign keeps its start job; a new sendAt moves it only through startCampaign.
 */
export async function updateCampaign(deps: Deps, input: UpdateCampaignInput): Promise<CampaignView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const businessId = input.businessId;
  const given = ['name', 'channel', 'audience', 'content', 'templateId', 'locationId', 'sendAt', 'bypassQuietHours'].filter((k) => input[k as keyof UpdateCampaignInput] !== undefined);
  if (given.length === 0) throw new ValidationError([{ type: 'missing', loc: ['name'], msg: 'Give at least one field to change' }]);
  const locationId = input.locationId === undefined ? undefined : (assertOptionalUuid(input.locationId, ['locationId']) ?? null);
  const current = await deps.prisma.campaign.findFirst({ where: { id, businessId } });
  if (!current) throw campaignNotFound(id, businessId);
  const view = toCampaignView(current);
  const channel = input.channel ?? view.channel;
  const templateId = input.templateId === undefined ? view.templateId : input.templateId;
  const content = input.content ?? view.content;
  const issues: FieldIssue[] = [];
  const name = input.name !== undefined ? checkName(input.name, issues) : undefined;
  const audience = input.audience !== undefined ? checkAudience(input.audience, issues) : undefined;
  const checkedContent = checkContent(channel, content, templateId != null, issues);
  if (input.sendAt !== undefined) checkSendAt(input.sendAt, deps.clock.now(), issues);
  throwIssues(issues);
  await checkReferences(deps, { businessId, channel, templateId, locationId: locationId ?? null, content: checkedContent });
  return runTransaction(deps, async (tx) => {
    const locked = await lockCampaign(tx.sql, id, businessId);
    if (!locked) throw campaignNotFound(id, businessId);
    if (locked.status !== 'draft' && locked.status !== 'scheduled')
      throw campaignConflict('CAMPAIGN_NOT_EDITABLE', id, locked.status as CampaignView['status'], 'only a draft or scheduled campaign can be changed');
    const row = await tx.prisma.campaign.update({
      where: { id },
      data: {
        ...(name !== undefined ? { name } : {}),
        ...(input.channel !== undefined ? { channel } : {}),
        ...(audience ? { audience: audience as object } : {}),
        content: checkedContent as object,
        ...(input.templateId !== undefined ? { templateId } : {}),
        ...(locationId !== undefined ? { locationId } : {}),
        ...(input.sendAt !== undefined ? { sendAt: input.sendAt } : {}),
        ...(input.bypassQuietHours !== undefined ? { bypassQuietHours: input.bypassQuietHours } : {}),
      },
    });
    return toCampaignView(row);
  });
}
