import type { Deps } from '../deps.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { INBOX_EVENT_TYPES, isInboxEventType } from '../inbox/inboxEventTypes.js';
import { checkHost, RefusedDestinationError } from './destination.js';
import { MAX_WEBHOOK_DESCRIPTION_LENGTH, MAX_WEBHOOK_URL_LENGTH } from './webhookEndpointFields.js';

/** How long saving an endpoint waits for its host to resolve. */
const LOOKUP_TIMEOUT_MS = 5000;

export interface WebhookEndpointFields {
  url?: string;
  /** null or blank: none. */
  description?: string | null;
  /** Empty or null: every type. */
  eventTypes?: readonly string[] | null;
}

export interface CheckedWebhookEndpointFields {
  /** The URL as it will be called (WHATWG-normalised: `https://Example.com` is `https://example.com/`). */
  url?: string;
  description?: string | null;
  /** Without repeats; empty: every type. */
  eventTypes?: string[];
}

/**
 * The rules of an endpoint's fields, on create and update alike: every problem at once, each naming
 * its field. The URL is absolute http(s) without credentials or fragment (https only when
 * PUBLIC_BASE_URL is), and unless OMEGA_WEBHOOK_ALLOW_PRIVATE its host resolves, to public
 * addresses only (checked again at each delivery: DNS rebinding).
 */
export async function checkWebhookEndpointInput(deps: Pick<Deps, 'outboundWebhooks'>, input: WebhookEndpointFields): Promise<CheckedWebhookEndpointFields> {
  const issues: FieldIssue[] = [];
  const out: CheckedWebhookEndpointFields = {};
  if (input.url !== undefined) {
    const url = await checkUrl(deps, input.url);
    if (typeof url === 'string') out.url = url;
    else issues.push(url);
  }
  if (input.description !== undefined) {
    const description = input.description?.trim() ? input.description : null;
    if (description !== null && description.length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
      issues.push({ type: 'string_too_long', loc: ['description'], msg: `must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters`, input: description });
    } else out.description = description;
  }
  if (input.eventTypes !== undefined) {
    const types = input.eventTypes ?? [];
    types.forEach((type, i) => {
      if (!isInboxEventType(type)) issues.push({ type: 'enum', loc: ['eventTypes', i], msg: `is not an event type: use one of ${INBOX_EVENT_TYPES.join(', ')} (or none for every type)`, input: type });
    });
    out.eventTypes = [...new Set(types)];
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/** The normalised URL, or what is wrong with it. */
async function checkUrl(deps: Pick<Deps, 'outboundWebhooks'>, raw: string): Promise<string | FieldIssue> {
  const issue = (type: string, msg: string): FieldIssue => ({ type, loc: ['url'], msg, input: raw });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return issue('string_too_long', `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return issue('url_parsing', 'must be an absolute URL, such as https://hooks.example.com/omega');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return issue('url_scheme', `must be an http or https URL, not ${url.protocol.slice(0, 20)}`);
  if (url.username || url.password) return issue('value_error', 'must not hold a user name or password: receivers check the webhook-signature header instead');
  if (raw.includes('#')) return issue('value_error', 'must not have a fragment (#…): it is never sent');
  if (url.protocol === 'http:' && deps.outboundWebhooks.requireHttps) return issue('url_scheme', 'must be https: PUBLIC_BASE_URL is https, so webhooks go out over https only');
  const host = url.hostname;
  try {
    await withTimeout(checkHost(host, deps.outboundWebhooks.allowPrivate), LOOKUP_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof RefusedDestinationError) return issue('value_error', err.message);
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
    return issue('value_error', `host ${host.slice(0, 300)} does not resolve (${code}): use a name with a public address`);
  }
  return url.href;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
