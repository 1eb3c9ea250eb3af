import type { Task, TaskList } from 'graphile-worker';
import type { Deps } from '../domain/deps.js';
import { prune_inbox_events } from './tasks/prune_inbox_events.js';
import { onboard_client_import } from './tasks/onboard_client_import.js';
import { onboard_email_domain } from './tasks/onboard_email_domain.js';
import { onboard_sms_sender } from './tasks/onboard_sms_sender.js';
import { prune_rate_limit_counters } from './tasks/prune_rate_limit_counters.js';
import { prune_sign_in_links } from './tasks/prune_sign_in_links.js';
import { sandbox_delivery_report } from './tasks/sandbox_delivery_report.js';
import { send_email } from './tasks/send_email.js';
import { send_sms } from './tasks/send_sms.js';
import { reconcile_sms_status } from './tasks/reconcile_sms_status.js';
import { release_dead_workers } from './tasks/release_dead_workers.js';
import { end_snooze } from './tasks/end_snooze.js';
import { deliver_webhooks } from './tasks/deliver_webhooks.js';
import { campaign_start } from './tasks/campaign_start.js';
import { campaign_dispatch } from './tasks/campaign_dispatch.js';
import { campaign_progress } from './tasks/campaign_progress.js';

/**
 * Every graphile-worker task, by identifier. A task is a file in src/worker/tasks named after its
 * identifier; it asserts its payload and calls the domain.
 */
export function taskList(deps: Deps): TaskList {
  return {
    release_dead_workers: release_dead_workers(deps),
    prune_inbox_events: prune_inbox_events(deps),
    onboard_sms_sender: onboard_sms_sender(deps),
    onboard_email_domain: onboard_email_domain(deps),
    onboard_client_import: onboard_client_import(deps),
    prune_rate_limit_counters: prune_rate_limit_counters(deps),
    prune_sign_in_links: prune_sign_in_links(deps),
    send_sms: send_sms(deps) as Task,
    send_email: send_email(deps) as Task,
    sandbox_delivery_report: sandbox_delivery_report(deps) as Task,
    reconcile_sms_status: reconcile_sms_status(deps),
    end_snooze: end_snooze(deps) as Task,
    deliver_webhooks: deliver_webhooks(deps) as Task,
    campaign_start: campaign_start(deps) as Task,
    campaign_dispatch: campaign_dispatch(deps) as Task,
    campaign_progress: campaign_progress(deps) as Task,
  };
}

/** Periodic jobs (graphile-worker crontab syntax). */
export const CRONTAB = [
  '* * * * * release_dead_workers ?max=1&jobKey=release_dead_workers',
  '0 3 * * * prune_inbox_events ?max=1&jobKey=prune_inbox_events',
  '*/10 * * * * prune_rate_limit_counters ?max=1&jobKey=prune_rate_limit_counters',
  '17 * * * * prune_sign_in_links ?max=1&jobKey=prune_sign_in_links',
  '*/15 * * * * reconcile_sms_status ?max=1&jobKey=reconcile_sms_status',
].join('\n');
