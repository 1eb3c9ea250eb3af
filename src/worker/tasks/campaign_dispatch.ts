import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { dispatchCampaign } from '../../domain/campaigns/dispatchCampaign.js';
import { campaignPayload } from '../campaignPayload.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      campaign_dispatch: { businessId: string; campaignId: string };
    }
  }
}

/** Queues a sending campaign's pending recipients in chunks (dispatchCampaign); stops when paused or canceled. */
export function campaign_dispatch(deps: Deps): Task<'campaign_dispatch'> {
  return async (payload, helpers) => {
    const { businessId, campaignId } = campaignPayload('campaign_dispatch', payload);
    const result = await dispatchCampaign(deps, { businessId, campaignId });
    helpers.logger.debug(`campaign ${campaignId}: ${result.queued} queued, ${result.skipped} skipped, ${result.stopped}`);
  };
}
