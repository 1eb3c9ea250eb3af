// What a saved reply is and the rules of its fields, shared by create, update, list and send.
import type { SavedReply } from '../../generated/prisma/client.js';
import { assertBusinessAccess, requirePrincipal, type Principal } from '../auth/principal.js';
import { NotFoundError, type FieldIssue } from '../errors.js';
import { EMAIL_SUBJECT_MAX, SMS_MAX_LENGTH } from '../sending/sendLimits.js';
import { parseTemplateField } from './template.js';

export const SAVED_REPLY_CHANNELS = ['sms', 'email', 'any'] as const;
export type SavedReplyChannel = (typeof SAVED_REPLY_CHANNELS)[number];

export const MAX_SAVED_REPLIES = 2000;
export const SAVED_REPLY_NAME_MAX = 100;
export const SAVED_REPLY_SHORTCUT_MAX = 32;
/** An SMS template (or one for any channel) is bounded as an SMS body is (Twilio's 1,600 characters). */
export const SAVED_REPLY_SMS_BODY_MAX = SMS_MAX_LENGTH;
/** An email template's body (plain text): far below the send path's 500,000, which is for whole emails. */
export const SAVED_REPLY_EMAIL_BODY_MAX = 50_000;
export const SAVED_REPLY_SUBJECT_MAX = EMAIL_SUBJECT_MAX;
export const SAVED_REPLY_SEARCH_MAX = 100;

/** A word of letters, digits, '-' and '_' (the composer types it after a '/'); a leading '/' is dropped, and it is kept lower-case. */
const SHORTCUT = /^[a-z0-9][a-z0-9_-]*$/;

export type SavedReplyView = SavedReply;

export function isSavedReplyChannel(value: string): value is SavedReplyChannel {
  return (SAVED_REPLY_CHANNELS as readonly string[]).includes(value);
}

/** The shortcut as stored: without a leading '/', trimmed, lower-case. */
export function normaliseShortcut(shortcut: string): string {
  return shortcut.trim().replace(/^\//, '').toLowerCase();
}

export interface SavedReplyFields {
  name?: string;
  shortcut?: string;
  channel?: string;
  subject?: string | null;
  body?: string;
}

/**
 * Checks the fields given (a create gives them all, an update some), against the reply's resulting
 * channel: the name, the shortcut's form, the channel, the subject (email and any only; one line)
 * and the body's length by channel, and both templates. Answers the values to store, or the issues.
 */
export function checkSavedReplyFields(given: SavedReplyFields, current: { channel: string; subject: string | null; body: string } | null): { data: SavedReplyFields; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const data: SavedReplyFields = {};
  if (given.name !== undefined) {
    const name = given.name.trim();
    if (!name) issues.push({ type: 'string_too_short', loc: ['name'], msg: 'The name is empty', input: given.name });
    else if (name.length > SAVED_REPLY_NAME_MAX) issues.push({ type: 'string_too_long', loc: ['name'], msg: `At most ${SAVED_REPLY_NAME_MAX} characters`, input: name.length });
    data.name = name;
  }
  if (given.shortcut !== undefined) {
    const shortcut = normaliseShortcut(given.shortcut);
    if (!shortcut || shortcut.length > SAVED_REPLY_SHORTCUT_MAX || !SHORTCUT.test(shortcut)) {
      issues.push({
        type: 'value_error',
        loc: ['shortcut'],
        msg: `A shortcut is one word of letters, digits, "-" and "_", starting with a letter or digit, at most ${SAVED_REPLY_SHORTCUT_MAX} characters (a leading "/" is dropped)`,
        input: given.shortcut,
      });
    }
    data.shortcut = shortcut;
  }
  const channel = given.channel ?? current?.channel ?? 'any';
  if (given.channel !== undefined) {
    if (!isSavedReplyChannel(given.channel)) issues.push({ type: 'enum', loc: ['channel'], msg: `One of ${SAVED_REPLY_CHANNELS.join(', ')}`, input: given.channel });
    data.channel = given.channel;
  }
  const subject = given.subject !== undefined ? (given.subject?.trim() ? given.subject.trim() : null) : (current?.subject ?? null);
  if (given.subject !== undefined) data.subject = subject;
  if (subject !== null && (given.subject !== undefined || given.channel !== undefined)) {
    if (channel === 'sms') issues.push({ type: 'value_error', loc: ['subject'], msg: 'An SMS reply has no subject: leave it out, or make the channel email or any', input: subject });
    else if (subject.length > SAVED_REPLY_SUBJECT_MAX) issues.push({ type: 'string_too_long', loc: ['subject'], msg: `At most ${SAVED_REPLY_SUBJECT_MAX} characters` });
    else if (/[\r\n]/.test(subject)) issues.push({ type: 'value_error', loc: ['subject'], msg: 'The subject cannot contain line breaks', input: subject });
    else {
      const parsed = parseTemplateField(subject, ['subject']);
      if ('issue' in parsed) issues.push(parsed.issue);
    }
  }
  const body = given.body ?? current?.body;
  if (given.body !== undefined) {
    if (given.body.trim() === '') issues.push({ type: 'string_too_short', loc: ['body'], msg: 'The body is empty', input: given.body });
    else {
      const parsed = parseTemplateField(given.body, ['body']);
      if ('issue' in parsed) issues.push(parsed.issue);
    }
    data.body = given.body;
  }
  if (body !== undefined && (given.body !== undefined || given.channel !== undefined)) {
    const max = channel === 'email' ? SAVED_REPLY_EMAIL_BODY_MAX : SAVED_REPLY_SMS_BODY_MAX;
    if (body.length > max) issues.push({ type: 'string_too_long', loc: ['body'], msg: `At most ${max} characters for channel ${channel}`, input: body.length });
  }
  return { data, issues };
}

/**
 * Which saved replies a caller may name, as a Prisma `where` part: those of the business it names
 * (its own, or any with a service key; another business's credentials: 403), else its own business's
 * (every business for a service key). A reply outside it does not exist for the caller: 404.
 */
export function savedReplyScope(principal: Principal | null, businessId?: string | null): { businessId?: string } {
  const p = requirePrincipal(principal);
  if (businessId != null) {
    assertBusinessAccess(p, businessId);
    return { businessId };
  }
  return p.kind === 'service' ? {} : { businessId: p.businessId };
}

export function savedReplyNotFound(id: string, businessId?: string | null): NotFoundError {
  return new NotFoundError('SAVED_REPLY_NOT_FOUND', `No saved reply ${JSON.stringify(id)}${businessId != null ? ` in business ${JSON.stringify(businessId)}` : ''}.`);
}
