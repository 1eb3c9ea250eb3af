import type { Task } from 'graphile-worker';
import type { Deps } from '../../domain/deps.js';
import { endSnooze } from '../../domain/conversations/endSnooze.js';

declare global {
  namespace GraphileWorker {
    interface Tasks {
      end_snooze: { businessId: string; conversationId: string };
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At a snooze's end time (scheduled by updateConversationStatus): the conversation opens again. */
export function end_snooze(deps: Deps): Task<'end_snooze'> {
  return async (payload, helpers) => {
    const { businessId, conversationId } = (payload ?? {}) as { businessId?: unknown; conversationId?: unknown };
    if (typeof businessId !== 'string' || typeof conversationId !== 'string' || !UUID.test(conversationId)) {
      throw new Error(`internal error: end_snooze expects a payload { "businessId": "<id>", "conversationId": "<uuid>" }, got ${JSON.stringify(payload)}`);
    }
    const ended = await endSnooze(deps, { businessId, conversationId });
    helpers.logger.debug(`conversation ${conversationId}: ${ended ? 'snooze ended, open again' : 'no longer snoozed until now; nothing to do'}`);
  };
}
