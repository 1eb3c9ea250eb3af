// The campaign_dispatch job: a sending campaign's pending recipients queued in chunks through the
// ordinary send path (queueOutbound), each chunk one request (one transaction), idempotent.
import { markRecipientsQueued, skipRecipients, takePendingRecipients } from '../../db/sql/campaigns.js';
import type { Deps } from '../deps.js';
import { ConflictError, DomainError, ValidationError } from '../errors.js';
import { queueOutbound } from '../sending/queueOutbound.js';
import { cancelWaitingMessages } from './campaignLifecycle.js';
import { toCampaignView } from './campaignFields.js';

/** Recipients per chunk (one send request, one transaction); at most queueOutbound's MAX_RECIPIENTS. */
export const DISPATCH_CHUNK = 500;

/** The request id of every message of a campaign: its idempotency key `<channel>:campaign:<id>:<address>` makes one message per recipient, ever. */
export const campaignRequestId = (campaignId: string) => `campaign:${campaignId}`;

export interface DispatchResult {
  queued: number;
  skipped: number;
  /** Why it stopped: done (no recipient pending), or the campaign is no longer sending (paused, canceled). */
  stopped: 'done' | 'not_sending';
}

/**
 * Queues the campaign's pending recipients, chunk by chunk, while it is `sending`:
 * 1. the next chunk's recipients who cannot be sent to now (opted out, no address, merged) are
 *    skipped with the reason (one statement);
 * 2. the rest are one send request (queueOutbound, with campaignId, traffic bulk and request id
 *    `campaign:<id>`): messages, conversations and send jobs in one transaction, the template
 *    rendered and quiet hours applied per recipient. The request id's idempotency key makes a
 *    recipient's message once, ever: a chunk that runs again after a crash (or a second dispatcher
 *    at once) finds the messages made before and makes none;
 * 3. the recipients are marked queued with their message.
 * A client who opted out between 1 and 2 makes the request fail whole (409): the chunk is taken
 * again, and step 1 now skips them. A recipient the request refuses (422 naming it: a template value
 * missing, ...) is skipped (reason invalid) and the chunk taken again. Any other error (no sender)
 * fails the job, which graphile-worker retries with backoff; the error is kept on the campaign.
 */
export async function dispatchCampaign(deps: Deps, input: { businessId: string; campaignId: string; chunkSize?: number }): Promise<DispatchResult> {
  const chunkSize = Math.min(input.chunkSize ?? DISPATCH_CHUNK, DISPATCH_CHUNK);
  const result: DispatchResult = { queued: 0, skipped: 0, stopped: 'done' };
  let retries = 0;
  for (;;) {
    const row = await deps.prisma.campaign.findFirst({ where: { id: input.campaignId, businessId: input.businessId } });
    if (!row) return { ...result, stopped: 'not_sending' };
    if (row.status === 'canceled') {
      // A chunk that committed after the cancel: its messages are canceled too (they were never claimable).
      await cancelWaitingMessages(deps.sql, row.businessId, row.id, deps.clock.now());
    }
    if (row.status !== 'sending') return { ...result, stopped: 'not_sending' };
    const campaign = toCampaignView(row);
    const { pending, skipped } = await takePendingRecipients(deps.sql, campaign.id, campaign.channel, chunkSize);
    result.skipped += skipped;
    if (pending.length === 0) {
      if (skipped > 0) continue;
      return result;
    }
    try {
      const queued = await queueOutbound(deps, {
        principal: null,
        businessId: campaign.businessId,
        channel: campaign.channel,
        recipients: pending.map((r) => ({ clientId: r.client_id, to: r.address })),
        content: {
          body: campaign.content.body,
          subject: campaign.content.subject,
          html: campaign.content.html,
          media: campaign.content.mediaUrls.map((url) => ({ url })),
        },
        locationId: campaign.locationId,
        requestId: campaignRequestId(campaign.id),
        sendAt: null,
        bypassQuietHours: campaign.bypassQuietHours,
        templateId: campaign.templateId,
        metadata: { campaignId: campaign.id },
        campaignId: campaign.id,
        traffic: 'bulk',
      });
      await markRecipientsQueued(
        deps.sql,
        campaign.id,
        queued.messages.map((m) => ({ clientId: m.clientId, messageId: m.messageId })),
      );
      // A recipient whose address another recipient of the campaign has (two clients sharing a
      // phone) got that one's message, not one of its own: each address is sent to once.
      const got = new Set(queued.messages.map((m) => m.clientId));
      const shared = pending.filter((r) => !got.has(r.client_id)).map((r) => r.client_id);
      if (shared.length) result.skipped += await skipRecipients(deps.sql, campaign.id, shared, 'duplicate_address');
      result.queued += queued.messages.filter((m) => m.created).length;
      retries = 0;
      if (row.lastError) await deps.prisma.campaign.update({ where: { id: campaign.id }, data: { lastError: null } });
    } catch (err) {
      if (++retries > 5) throw await keepError(deps, campaign.id, err);
      if (err instanceof ConflictError && (err.code === 'CLIENT_OPTED_OUT' || err.code === 'EMAIL_SUPPRESSED')) continue;
      const named = err instanceof ValidationError ? recipientsNamed(err, pending.length) : [];
      if (named.length === 0) throw await keepError(deps, campaign.id, err);
      result.skipped += await skipRecipients(
        deps.sql,
        campaign.id,
        named.map((i) => pending[i]!.client_id),
        'invalid',
      );
    }
  }
}

/** The recipients (by place in the request) a 422 names: ['recipients', i, ...]. */
function recipientsNamed(err: ValidationError, count: number): number[] {
  const named = new Set<number>();
  for (const issue of err.issues) {
    const [head, index] = issue.loc;
    if (head === 'recipients' && typeof index === 'number' && index < count) named.add(index);
  }
  return [...named];
}

async function keepError(deps: Deps, campaignId: string, err: unknown): Promise<unknown> {
  const text = err instanceof DomainError ? `${err.code}: ${err.message}` : String((err as { message?: unknown })?.message ?? err);
  await deps.prisma.campaign.update({ where: { id: campaignId }, data: { lastError: text.slice(0, 1000) } });
  return err;
}
