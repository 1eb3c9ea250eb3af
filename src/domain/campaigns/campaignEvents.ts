// The campaign.updated and campaign.progress events, and the counts both carry.
import type { Sql } from '../../db/sqlHandle.js';
import type { CampaignProgressRow } from '../../db/sql/campaigns.js';
import { publishInboxEvent } from '../inbox/publishInboxEvent.js';

/** A campaign's live counts (selectCampaignProgress), as the API and the events give them. */
export interface CampaignCounts {
  /** The materialised audience (0 before the start). */
  recipients: number;
  /** Not queued yet. */
  pending: number;
  /** Messages scheduled or queued (not yet handed to the provider). */
  queued: number;
  sending: number;
  /** Accepted by the provider (sent, delivered or read). */
  sent: number;
  delivered: number;
  /** Failed or undelivered. */
  failed: number;
  canceled: number;
  /** Skipped because they opted out (before their message was made), or refused at send time for it. */
  optedOut: number;
  /** Skipped for any reason (opted out, no address, invalid, canceled). */
  skipped: number;
  /** Recipients whose conversation received an inbound message after the campaign message was sent. */
  replied: number;
}

export function toCampaignCounts(row: CampaignProgressRow): CampaignCounts {
  return {
    recipients: row.recipients,
    pending: row.pending,
    queued: row.queued,
    sending: row.sending,
    sent: row.sent,
    delivered: row.delivered,
    failed: row.failed,
    canceled: row.canceled,
    optedOut: row.skipped_opted_out + row.failed_opted_out,
    skipped: row.skipped,
    replied: row.replied,
  };
}

/** campaign.updated: the campaign's status changed (with its counts at the change). */
export async function publishCampaignUpdated(sql: Sql, c: { id: string; businessId: string; name: string; status: string }, previousStatus: string, counts: CampaignCounts): Promise<void> {
  await publishInboxEvent(sql, { businessId: c.businessId, type: 'campaign.updated', payload: { campaignId: c.id, name: c.name, status: c.status, previousStatus, counts } });
}

/** campaign.progress: the counts of a sending campaign moved (at most once a second per campaign). */
export async function publishCampaignProgress(sql: Sql, c: { id: string; businessId: string; status: string }, counts: CampaignCounts): Promise<void> {
  await publishInboxEvent(sql, { businessId: c.businessId, type: 'campaign.progress', payload: { campaignId: c.id, status: c.status, counts } });
}
