import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import { actingStaffId, type Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import type { FieldIssue } from '../errors.js';
import { NotFoundError } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { resolveTemplateForSend } from '../savedReplies/resolveTemplateForSend.js';
import {
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

export interface CreateCampaignInput {
  principal: Principal | null;
  businessId: string;
  name: string;
  channel: CampaignChannel;
  audience: CampaignAudience;
  content: CampaignContent;
  /** A saved reply of the business for this channel (or any), rendered for each recipient. */
  templateId?: string | null;
  /** The sending location; omitted: each recipient's conversation's (home location, else the default sender). */
  locationId?: string | null;
  /** When startCampaign sends it; null: when started. */
  sendAt?: Date | null;
  bypassQuietHours?: boolean;
}

/** A new campaign, in draft (nothing is sent until startCampaign). */
export async function createCampaign(deps: Deps, input: CreateCampaignInput): Promise<CampaignView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const businessId = input.businessId;
  const issues: FieldIssue[] = [];
  const name = checkName(input.name, issues);
  const audience = checkAudience(input.audience, issues);
  const content = checkContent(input.channel, input.content, input.templateId != null, issues);
  checkSendAt(input.sendAt, deps.clock.now(), issues);
  throwIssues(issues);
  const locationId = assertOptionalUuid(input.locationId, ['locationId']) ?? null;
  const templateId = await checkReferences(deps, { businessId, channel: input.channel, templateId: input.templateId ?? null, locationId, content });
  const row = await deps.prisma.campaign.create({
    data: {
      businessId,
      name,
      channel: input.channel,
      audience: audience as object,
      content: content as object,
      templateId,
      locationId,
      sendAt: input.sendAt ?? null,
      bypassQuietHours: input.bypassQuietHours ?? false,
      createdByStaffId: actingStaffId(input.principal, null),
    },
  });
  return toCampaignView(row);
}

/** The template (the business's, for the channel, its text parsed) and the location must be the business's: else 404. */
export async function checkReferences(
  deps: Deps,
  input: { businessId: string; channel: CampaignChannel; templateId: string | null; locationId: string | null; content: CampaignContent },
): Promise<string | null> {
  if (input.locationId && !(await deps.prisma.location.findFirst({ where: { id: input.locationId, businessId: input.businessId }, select: { id: true } }))) {
    throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${input.locationId} in business ${JSON.stringify(input.businessId)}.`);
  }
  if (input.templateId == null) return null;
  const template = await resolveTemplateForSend(deps.sql, {
    businessId: input.businessId,
    templateId: input.templateId,
    channel: input.channel,
    staffId: null,
    body: input.content.body,
    subject: input.content.subject,
    bodyField: 'body',
  });
  return template.id;
}
