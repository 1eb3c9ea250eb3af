// start, pause, resume and cancel: each one transaction that locks the campaign's row, checks its
// status (409 with a stable code otherwise), changes it, does what the change needs (audience,
// jobs, messages) and publishes campaign.updated with the counts.
import { addJob } from '../../db/sql/addJob.js';
import { addJobs } from '../../db/sql/addJobs.js';
import { applyDeliveryStatuses, type DeliveryStatusChange } from '../../db/sql/applyDeliveryStatuses.js';
import { insertCampaignRecipients, lockCampaign, removeCampaignSendJobs, selectCampaignMessages, selectCampaignProgress, skipRecipients } from '../../db/sql/campaigns.js';
import { removeJob } from '../../db/sql/removeJob.js';
import type { Sql } from '../../db/sqlHandle.js';
import { runTransaction } from '../../db/transaction.js';
import type { Tx } from '../../db/tx.js';
import type { CampaignStatus } from '../../generated/prisma/enums.js';
import { pgErrorCode } from '../../db/pgErrorCode.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import type { FieldIssue } from '../errors.js';
import { assertUuid } from '../ids.js';
import { SEND_JOB_MAX_ATTEMPTS } from '../sending/sendJobMaxAttempts.js';
import { publishCampaignUpdated, toCampaignCounts } from './campaignEvents.js';
import { campaignConflict, campaignNotFound, checkSendAt, readAudience, throwIssues, toCampaignView, type CampaignView } from './campaignFields.js';

/** Messages per statement when a campaign's messages are canceled or their jobs queued again. */
const MESSAGE_CHUNK = 1000;
/** The jobs of a campaign (one each, by key). */
export const campaignJobKey = (task: 'campaign_start' | 'campaign_dispatch' | 'campaign_progress', campaignId: string) => `${task}:${campaignId}`;

interface LifecycleInput {
  principal: Principal | null;
  businessId: string;
  id: string;
}

/**
 * Starts a draft or scheduled campaign (else 409 CAMPAIGN_NOT_STARTABLE). With a send time in the
 * future (sendAt given here, else the campaign's): `scheduled`, and a `campaign_start` job at that
 * time. Otherwise now: `sending` (beginSending).
 */
export async function startCampaign(deps: Deps, input: LifecycleInput & { sendAt?: Date | null }): Promise<CampaignView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const now = deps.clock.now();
  const issues: FieldIssue[] = [];
  if (input.sendAt !== undefined) checkSendAt(input.sendAt, now, issues);
  throwIssues(issues);
  return runTransaction(deps, async (tx) => {
    const locked = await lockCampaign(tx.sql, id, input.businessId);
    if (!locked) throw campaignNotFound(id, input.businessId);
    const status = locked.status as CampaignStatus;
    if (status !== 'draft' && status !== 'scheduled') throw campaignConflict('CAMPAIGN_NOT_STARTABLE', id, status, 'only a draft or scheduled campaign can be started');
    const campaign = await tx.prisma.campaign.findUniqueOrThrow({ where: { id } });
    const sendAt = input.sendAt !== undefined ? input.sendAt : campaign.sendAt;
    if (sendAt && sendAt.getTime() > now.getTime()) {
      const row = await tx.prisma.campaign.update({ where: { id }, data: { status: 'scheduled', sendAt } });
      await addJob(tx.sql, 'campaign_start', { campaignId: id, businessId: row.businessId }, { jobKey: campaignJobKey('campaign_start', id), runAt: sendAt, maxAttempts: 10 });
      if (status !== 'scheduled') await publishCampaignUpdated(tx.sql, row, status, toCampaignCounts(await selectCampaignProgress(tx.sql, id)));
      return toCampaignView(row);
    }
    return beginSending(tx, id, status, now);
  });
}

/** What the campaign_start job runs at a scheduled campaign's time: it starts, unless it was canceled, started or unscheduled since. */
export async function startScheduledCampaign(deps: Deps, input: { businessId: string; campaignId: string }): Promise<boolean> {
  return runTransaction(deps, async (tx) => {
    const locked = await lockCampaign(tx.sql, input.campaignId, input.businessId);
    if (!locked || locked.status !== 'scheduled') return false;
    await beginSending(tx, input.campaignId, 'scheduled', deps.clock.now());
    return true;
  });
}

/**
 * `sending`: the audience materialised into campaign_recipients (once: INSERT ... ON CONFLICT DO
 * NOTHING, and a campaign starts once), then the dispatch job (queues the recipients in chunks) and
 * the progress job (counts every second, completes the campaign).
 */
async function beginSending(tx: Tx, id: string, previous: CampaignStatus, now: Date): Promise<CampaignView> {
  const campaign = await tx.prisma.campaign.findUniqueOrThrow({ where: { id } });
  const audience = readAudience(campaign.audience);
  const f = audience.filters ?? null;
  const size = await insertCampaignRecipients(tx.sql, id, campaign.businessId, {
    clientIds: audience.clientIds ?? null,
    clientTypes: f?.clientTypes ?? null,
    groups: f?.groups ?? null,
    labelIds: f?.labelIds ?? null,
    homeLocationIds: f?.homeLocationIds ?? null,
    lastContactBefore: f?.lastContactBefore ?? null,
    lastContactAfter: f?.lastContactAfter ?? null,
    optedInOnly: f?.optedInOnly ?? false,
    channel: campaign.channel as 'sms' | 'email',
  });
  const row = await tx.prisma.campaign.update({ where: { id }, data: { status: 'sending', startedAt: now, audienceSize: size, lastError: null } });
  await removeJob(tx.sql, campaignJobKey('campaign_start', id));
  await addCampaignJobs(tx.sql, row.businessId, id);
  await publishCampaignUpdated(tx.sql, row, previous, toCampaignCounts(await selectCampaignProgress(tx.sql, id)));
  return toCampaignView(row);
}

async function addCampaignJobs(sql: Sql, businessId: string, id: string): Promise<void> {
  await addJob(sql, 'campaign_dispatch', { campaignId: id, businessId }, { jobKey: campaignJobKey('campaign_dispatch', id), maxAttempts: 25 });
  await addJob(sql, 'campaign_progress', { campaignId: id, businessId }, { jobKey: campaignJobKey('campaign_progress', id), maxAttempts: 25 });
}

/**
 * Pauses a sending campaign (else 409 CAMPAIGN_NOT_SENDING). From its commit on, the send claim
 * takes none of its messages (they stay queued, their jobs end without sending) and the
 * dispatcher queues no more; a send already handed to the provider completes.
 */
export async function pauseCampaign(deps: Deps, input: LifecycleInput): Promise<CampaignView> {
  return transition(deps, input, ['sending'], 'CAMPAIGN_NOT_SENDING', 'only a sending campaign can be paused', async (tx, id, now) => {
    const row = await tx.prisma.campaign.update({ where: { id }, data: { status: 'paused', pausedAt: now } });
    // Its waiting messages' jobs off the queue (resume queues them again): they would only take
    // their senders' pacing slots to be refused by the claim.
    await removeCampaignSendJobs(tx.sql, id);
    return row;
  });
}

/**
 * Resumes a paused campaign (else 409 CAMPAIGN_NOT_PAUSED): `sending`, a send job again for each of
 * its messages still waiting (at its scheduled time, else now), and the dispatch and progress jobs.
 */
export async function resumeCampaign(deps: Deps, input: LifecycleInput): Promise<CampaignView> {
  return transition(deps, input, ['paused'], 'CAMPAIGN_NOT_PAUSED', 'only a paused campaign can be resumed', async (tx, id, now) => {
    const row = await tx.prisma.campaign.update({ where: { id }, data: { status: 'sending', pausedAt: null } });
    for (let after: string | null = null; ;) {
      const messages = await selectCampaignMessages(tx.sql, id, ['scheduled', 'queued', 'sending'], after, MESSAGE_CHUNK);
      if (messages.length === 0) break;
      await addJobs(
        tx.sql,
        messages.map((m) => {
          const task = m.channel === 'sms' ? 'send_sms' : 'send_email';
          // Bulk traffic (priority 1), as dispatch queued it: one-to-one sends stay ahead of it.
          return {
            task,
            payload: { messageId: m.id },
            jobKey: `${task}:${m.id}`,
            runAt: m.scheduled_at && m.scheduled_at > now ? m.scheduled_at : null,
            maxAttempts: SEND_JOB_MAX_ATTEMPTS,
            priority: 1,
          };
        }),
      );
      after = messages[messages.length - 1]!.id;
    }
    await addCampaignJobs(tx.sql, row.businessId, id);
    return row;
  });
}

/**
 * Cancels a campaign that is not completed or canceled already (else 409 CAMPAIGN_NOT_CANCELABLE),
 * in one transaction: `canceled`, its scheduled and queued messages `canceled` through the delivery
 * status machinery (a message.status_changed event each), its pending recipients skipped. A send
 * already handed to the provider completes; nothing else of it goes out (the claim takes only
 * messages of sending campaigns, and only scheduled or queued ones).
 */
export async function cancelCampaign(deps: Deps, input: LifecycleInput): Promise<CampaignView> {
  return withDeadlockRetry(() =>
    transition(deps, input, ['draft', 'scheduled', 'sending', 'paused'], 'CAMPAIGN_NOT_CANCELABLE', 'a completed or canceled campaign cannot be canceled', async (tx, id, now) => {
      const row = await tx.prisma.campaign.update({ where: { id }, data: { status: 'canceled', canceledAt: now } });
      await removeJob(tx.sql, campaignJobKey('campaign_start', id));
      await removeCampaignSendJobs(tx.sql, id);
      await cancelWaitingMessages(tx.sql, row.businessId, id, now);
      return row;
    }),
  );
}

/**
 * The campaign's scheduled and queued messages `canceled` (a message.status_changed event each), and
 * its pending recipients skipped (reason canceled). Also run by the dispatcher when a chunk it was
 * queueing committed after a cancel.
 */
export async function cancelWaitingMessages(sql: Sql, businessId: string, id: string, now: Date): Promise<void> {
  for (;;) {
    const messages = await selectCampaignMessages(sql, id, ['scheduled', 'queued'], null, MESSAGE_CHUNK);
    if (messages.length === 0) break;
    await applyDeliveryStatuses(
      sql,
      messages.map((m): DeliveryStatusChange => ({
        lookup: { messageId: m.id },
        businessId,
        channel: m.channel,
        status: 'canceled',
        allowedFrom: ['scheduled', 'queued'],
        stamp: { sent: false, delivered: false, read: false, failure: true, clearError: false },
        eventType: 'status',
        provider: null,
        providerEventId: null,
        errorCode: 'CAMPAIGN_CANCELED',
        errorMessage: 'Its campaign was canceled before it was sent.',
        occurredAt: now,
        payload: { source: 'campaign', campaignId: id },
        providerMessageId: null,
        fromAddress: null,
        consent: null,
        consentReason: null,
      })),
    );
  }
  await skipRecipients(sql, id, null, 'canceled');
}

async function transition(
  deps: Deps,
  input: LifecycleInput,
  from: CampaignStatus[],
  code: string,
  wanted: string,
  change: (tx: Tx, id: string, now: Date) => Promise<{ id: string; businessId: string; name: string; status: string }>,
): Promise<CampaignView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  return runTransaction(
    deps,
    async (tx) => {
      const locked = await lockCampaign(tx.sql, id, input.businessId);
      if (!locked) throw campaignNotFound(id, input.businessId);
      const status = locked.status as CampaignStatus;
      if (!from.includes(status)) throw campaignConflict(code, id, status, wanted);
      const row = await change(tx, id, deps.clock.now());
      await publishCampaignUpdated(tx.sql, row, status, toCampaignCounts(await selectCampaignProgress(tx.sql, id)));
      return toCampaignView(await tx.prisma.campaign.findUniqueOrThrow({ where: { id } }));
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** A cancel locks messages a send claim may lock too: PostgreSQL may abort one as a deadlock; nothing was committed, so it runs again. */
async function withDeadlockRetry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const deadlock = pgErrorCode(err) === '40P01' || /deadlock/i.test(String((err as { message?: unknown })?.message));
      if (attempt >= attempts || !deadlock) throw err;
    }
  }
}
