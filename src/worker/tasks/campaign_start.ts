import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { startScheduledCampaign } from '../../domain/campaigns/campaignLifecycle.js';
import { campaignPayload } from '../campaignPayload.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      campaign_start: { businessId: string; campaignId: string };
    }
  }
}

/** At a scheduled campaign's send time (startCampaign): it starts sending, unless canceled or changed since. */
export function campaign_start(deps: Deps): Task<'campaign_start'> {
  return async (payload, helpers) => {
    const { businessId, campaignId } = campaignPayload('campaign_start', payload);
    const started = await startScheduledCampaign(deps, { businessId, campaignId });
    helpers.logger.debug(`campaign ${campaignId}: ${started ? 'started' : 'no longer scheduled; nothing to do'}`);
  };
}
