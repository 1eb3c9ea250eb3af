// The campaign_progress job: every second while a campaign is sending, its counts (one statement),
// a campaign.progress event when they moved, and its completion.
import { addJob } from '../../db/sql/addJob.js';
import { lockCampaign, selectCampaignProgress } from '../../db/sql/campaigns.js';
import { runTransaction } from '../../db/transaction.js';
import type { Deps } from '../deps.js';
import { publishCampaignProgress, publishCampaignUpdated, toCampaignCounts, type CampaignCounts } from './campaignEvents.js';
import { campaignJobKey } from './campaignLifecycle.js';

/** How often a sending campaign's progress is counted (and at most how often campaign.progress goes out). */
export const PROGRESS_INTERVAL_MS = 1000;

/**
 * One tick: nothing when the campaign is no longer sending (paused, canceled: resume starts the
 * ticks again). Complete (status `completed`, campaign.updated) when no recipient is pending and
 * none of its messages is scheduled, queued or sending. Otherwise a campaign.progress event when the
 * counts differ from the last tick's (`last`, carried in the job's payload), and the next tick in a second.
 */
export async function campaignProgressTick(deps: Deps, input: { businessId: string; campaignId: string; last?: string | null }): Promise<'stopped' | 'completed' | 'ticking'> {
  return runTransaction(deps, async (tx) => {
    const locked = await lockCampaign(tx.sql, input.campaignId, input.businessId);
    if (!locked || locked.status !== 'sending') return 'stopped';
    const counts = toCampaignCounts(await selectCampaignProgress(tx.sql, input.campaignId));
    const campaign = await tx.prisma.campaign.findUniqueOrThrow({ where: { id: input.campaignId }, select: { id: true, businessId: true, name: true, status: true } });
    if (isDone(counts)) {
      const row = await tx.prisma.campaign.update({ where: { id: campaign.id }, data: { status: 'completed', completedAt: deps.clock.now() } });
      await publishCampaignUpdated(tx.sql, row, 'sending', counts);
      return 'completed';
    }
    const key = JSON.stringify(counts);
    if (key !== input.last) await publishCampaignProgress(tx.sql, campaign, counts);
    await addJob(
      tx.sql,
      'campaign_progress',
      { campaignId: campaign.id, businessId: campaign.businessId, last: key },
      { jobKey: campaignJobKey('campaign_progress', campaign.id), runAt: new Date(Date.now() + PROGRESS_INTERVAL_MS), maxAttempts: 25 },
    );
    return 'ticking';
  });
}

function isDone(c: CampaignCounts): boolean {
  return c.pending === 0 && c.queued === 0 && c.sending === 0;
}
