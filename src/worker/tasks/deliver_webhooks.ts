import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { deliverWebhooks } from '../../domain/outboundWebhooks/deliverWebhooks.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      deliver_webhooks: { endpointId: string };
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sends an endpoint's pending webhook deliveries in order (queued by the dispatcher, a redelivery or a replay). */
export function deliver_webhooks(deps: Deps): Task<'deliver_webhooks'> {
  return async (payload, helpers) => {
    const { endpointId } = (payload ?? {}) as { endpointId?: unknown };
    if (typeof endpointId !== 'string' || !UUID.test(endpointId)) {
      throw new Error(`internal error: deliver_webhooks expects a payload { "endpointId": "<uuid>" }, got ${JSON.stringify(payload)}`);
    }
    const run = await deliverWebhooks(deps, endpointId, helpers.abortSignal);
    helpers.logger.debug(`webhook endpoint ${endpointId}: ${run.delivered} delivered, ${run.failed} failed, stopped: ${run.stopped}`);
  };
}
