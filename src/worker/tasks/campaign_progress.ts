import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { campaignProgressTick } from '../../domain/campaigns/campaignProgressTick.js';
import { campaignPayload } from '../campaignPayload.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      campaign_progress: { businessId: string; campaignId: string; last?: string };
    }
  }
}

/** Every second while a campaign is sending: its counts, campaign.progress, its completion (campaignProgressTick). */
export function campaign_progress(deps: Deps): Task<'campaign_progress'> {
  return async (payload) => {
    const { businessId, campaignId } = campaignPayload('campaign_progress', payload);
    const last = (payload as { last?: unknown }).last;
    await campaignProgressTick(deps, { businessId, campaignId, last: typeof last === 'string' ? last : null });
  };
}
