// The composer: an SMS (segment counter), an email (subject) or an internal note (@mentions), a saved
// reply (previewed by renderTemplate, sent with templateId), the quiet-hours warning (send anyway =
// bypassQuietHours) and scheduled send (sendAt). Cmd/Ctrl+Enter sends. Sends carry a requestId, so a
// double send is one message; the messages it made are fetched by that id and shown at once, then
// kept live by the events.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import type { ConversationPaneFieldsFragment, MessageFieldsFragment } from '../gql/graphql';
import { useMe } from '../inbox/me';
import { describeError } from '../lib/errors';
import { Banner, Button, Menu } from '../ui';
import { useDrafts, type Draft } from './drafts';
import { activeMention, insertMention, matchStaff, mentionedStaffIds, type ActiveMention } from './mentions';
import { PaneAddNoteMutation, PaneMessagesByRequestQuery, PaneRenderTemplateQuery, PaneSavedRepliesQuery, PaneSendEmailMutation, PaneSendSmsMutation } from './operations';
import { usePainted } from './painted';
import { checkQuietHours } from './quietHours';
import { countSegments, segmentLabel } from './segments';
import { parseLocalInput, toLocalInput } from './snooze';
import type { PaneBusiness, PaneStaff } from './usePaneBusiness';

type Mode = Draft['mode'];

export interface ComposerProps {
  conversation: ConversationPaneFieldsFragment;
  business: PaneBusiness;
  onSent(messages: MessageFieldsFragment[]): void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function newRequestId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function Composer({ conversation, business, onSent }: ComposerProps) {
  const me = useMe();
  const client = useClient();
  const phone = conversation.client.phones[0] ?? null;
  const email = conversation.client.emails[0] ?? null;
  // Unsent text per conversation, kept while signed in (opening another conversation keeps it).
  const drafts = useDrafts(me.staffId);
  const draft = drafts.get(conversation.conversationId);
  // Reply on the channel the conversation last used (email after an email), else SMS when possible.
  const [mode, setMode] = useState<Mode>(draft?.mode ?? (email && (conversation.lastMessageChannel === 'email' || !phone) ? 'email' : phone ? 'sms' : 'note'));
  const [body, setBody] = useState(draft?.body ?? '');
  const [subject, setSubject] = useState(draft?.subject ?? '');
  useEffect(() => {
    drafts.set(conversation.conversationId, { mode, body, subject });
  }, [drafts, conversation.conversationId, mode, body, subject]);
  const [sendAt, setSendAt] = useState<string | null>(null);
  const [bypass, setBypass] = useState(false);
  const [reply, setReply] = useState<{ id: string; name: string; body: string } | null>(null);
  const [repliesOpen, setRepliesOpen] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mention, setMention] = useState<ActiveMention | null>(null);
  const [mentionIndex, setMentionIndex] = useState(0);
  const [requestId, setRequestId] = useState(newRequestId);
  const input = useRef<HTMLTextAreaElement>(null);

  const [, sendSms] = useMutation(PaneSendSmsMutation);
  const [, sendEmail] = useMutation(PaneSendEmailMutation);
  const [, addNote] = useMutation(PaneAddNoteMutation);

  const savedReplyChannel = mode === 'note' ? null : mode;
  const painted = usePainted(conversation.conversationId);
  const [replies] = useQuery({
    query: PaneSavedRepliesQuery,
    variables: { businessId: me.businessId, locationId: conversation.location.locationId, channel: savedReplyChannel },
    pause: !savedReplyChannel || !painted,
  });
  const replyList = savedReplyChannel ? (replies.data?.savedReplies.edges.map((e) => e.node) ?? []) : [];

  // The saved reply as this client would get it (and the text typed over it, when edited).
  const edited = reply !== null && body !== reply.body;
  const [preview] = useQuery({
    query: PaneRenderTemplateQuery,
    variables: { input: { businessId: me.businessId, conversationId: conversation.conversationId, savedReplyId: reply?.id, ...(edited ? { body } : {}) } },
    pause: !reply,
  });

  const segments = useMemo(() => countSegments(reply && preview.data ? preview.data.renderTemplate.body : body), [body, reply, preview.data]);
  const timeZone = conversation.location.timeZone ?? business.timeZone ?? 'UTC';
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(t);
  }, []);
  const quiet = mode !== 'note' && !sendAt && (body.trim() || reply) ? checkQuietHours(business.quietHours, timeZone, now) : null;
  const scheduledFor = sendAt ? parseLocalInput(sendAt, now) : null;

  const mentionMatches = useMemo(() => (mode === 'note' && mention ? matchStaff(business.staff, mention.query) : []), [mode, mention, business.staff]);

  const reset = () => {
    setBody('');
    setSubject('');
    setReply(null);
    setSendAt(null);
    setBypass(false);
    setMention(null);
    setRequestId(newRequestId());
  };

  const canSend = !sending && (body.trim().length > 0 || reply !== null) && (mode !== 'sms' || phone) && (mode !== 'email' || email) && (!sendAt || scheduledFor !== null);

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    setError(null);
    setNotice(null);
    try {
      if (mode === 'note') {
        const r = await addNote({ input: { conversationId: conversation.conversationId, body, mentionStaffIds: mentionedStaffIds(body, business.staff) } });
        if (r.error) return setError(describeError(r.error));
        if (r.data) onSent([r.data.addNote]);
        reset();
        return;
      }
      const common = {
        businessId: me.businessId,
        locationId: conversation.location.locationId,
        requestId,
        ...(scheduledFor ? { sendAt: scheduledFor.toISOString() } : {}),
        ...(quiet?.quiet && bypass ? { bypassQuietHours: true } : {}),
        ...(reply ? { templateId: reply.id } : {}),
      };
      const r =
        mode === 'sms'
          ? await sendSms({ input: { ...common, recipients: [{ clientId: conversation.client.clientId, to: phone }], ...(!reply || edited ? { body } : {}) } })
          : await sendEmail({
              input: {
                ...common,
                recipients: [{ clientId: conversation.client.clientId, to: email }],
                ...(subject.trim() ? { subject: subject.trim() } : {}),
                ...(!reply || edited ? { text: body } : {}),
              },
            });
      if (r.error) return setError(describeError(r.error));
      const result = r.data ? ('sendSms' in r.data ? r.data.sendSms : r.data.sendEmail) : null;
      const scheduled = result?.messages.find((m) => m.status === 'scheduled');
      if (scheduled?.scheduledAt) setNotice(`Scheduled for ${new Date(scheduled.scheduledAt).toLocaleString()}.`);
      const made = await client.query(PaneMessagesByRequestQuery, { businessId: me.businessId, requestId }, { requestPolicy: 'network-only' }).toPromise();
      if (made.data) onSent(made.data.messagesByRequestId);
      reset();
    } finally {
      setSending(false);
    }
  };

  const onChange = (value: string, caret: number) => {
    // "/" in an empty SMS or email opens the saved replies (their menu filters as one types).
    if (value === '/' && !body && replyList.length > 0) {
      setRepliesOpen(true);
      return;
    }
    setBody(value);
    if (mode === 'note') {
      setMention(activeMention(value, caret));
      setMentionIndex(0);
    }
  };

  // The caret after an inserted mention, placed in the same commit as the new text (a layout effect
  // runs before the browser handles the next key; a frame later, a key typed meanwhile would land
  // after the caret and the rest of the word before it).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (pendingCaret.current === null) return;
    input.current?.focus();
    input.current?.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const pickMention = (s: PaneStaff) => {
    if (!mention) return;
    const next = insertMention(body, mention, s.name);
    pendingCaret.current = next.caret;
    setBody(next.text);
    setMention(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentionMatches.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setMentionIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : mentionMatches.length - 1)) % mentionMatches.length);
        return;
      }
      if ((e.key === 'Enter' && !e.metaKey && !e.ctrlKey) || e.key === 'Tab') {
        e.preventDefault();
        pickMention(mentionMatches[Math.min(mentionIndex, mentionMatches.length - 1)]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void send();
    }
  };

  const switchMode = (next: Mode) => {
    setMode(next);
    setReply(null);
    setMention(null);
    setError(null);
    input.current?.focus();
  };

  const optedOut = mode === 'sms' && conversation.client.smsOptOut;
  const suppressed = mode === 'email' && conversation.client.emailSuppressed;
  const savedHint = replyList.length > 0 ? ' (/ for saved replies)' : '';
  const placeholder =
    mode === 'note'
      ? 'Internal note: only staff see it. Type @ to mention someone.'
      : mode === 'sms'
        ? phone
          ? `SMS to ${phone}${savedHint}`
          : 'This client has no phone number'
        : email
          ? `Email to ${email}${savedHint}`
          : 'This client has no email address';

  return (
    <div className={`composer cp-composer cp-mode-${mode}`} data-testid="composer">
      <div className="cp-tabs" role="tablist" aria-label="Reply with">
        {(['sms', 'email', 'note'] as const).map((m) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className={`cp-tab${mode === m ? ' cp-tab-on' : ''}`} onClick={() => switchMode(m)} data-testid={`composer-mode-${m}`}>
            {m === 'sms' ? 'SMS' : m === 'email' ? 'Email' : 'Note'}
          </button>
        ))}
        <span className="cp-spacer" />
        {replyList.length > 0 ? (
          <div className="menu-anchor">
            <button type="button" className="cp-tab" aria-haspopup="listbox" aria-expanded={repliesOpen} onClick={() => setRepliesOpen((o) => !o)} data-testid="saved-replies">
              Saved replies
            </button>
            {repliesOpen ? (
              <Menu
                label="Saved replies"
                filterable
                items={replyList.map((r) => ({ id: r.id, label: r.name, hint: r.shortcut }))}
                onClose={() => setRepliesOpen(false)}
                onSelect={(id) => {
                  const r = replyList.find((x) => x.id === id);
                  setRepliesOpen(false);
                  if (!r) return;
                  setReply({ id: r.id, name: r.name, body: r.body });
                  setBody(r.body);
                  if (mode === 'email' && r.subject && !subject) setSubject(r.subject);
                  input.current?.focus();
                }}
              />
            ) : null}
          </div>
        ) : null}
      </div>
      {optedOut ? <Banner tone="warning">This client opted out of SMS (STOP). Omega will not text them until they reply START.</Banner> : null}
      {suppressed ? <Banner tone="warning">Email to this client is suppressed (a bounce or a complaint).</Banner> : null}
      {mode === 'email' ? (
        <input
          className="cp-subject-input"
          placeholder="Subject (empty: Re: the last one)"
          aria-label="Subject"
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          data-testid="composer-subject"
        />
      ) : null}
      {reply ? (
        <div className="cp-preview" data-testid="saved-reply-preview">
          <div className="cp-preview-head">
            <strong>{reply.name}</strong>
            <span className="cp-muted">
              {edited ? 'edited, ' : ''}as {conversation.client.name} will get it
            </span>
            <button
              type="button"
              className="cp-link"
              onClick={() => {
                setReply(null);
                setBody('');
              }}
            >
              Remove
            </button>
          </div>
          {preview.error ? <div className="cp-error">{describeError(preview.error)}</div> : null}
          {preview.data ? (
            <>
              {preview.data.renderTemplate.subject ? <div className="cp-subject">{preview.data.renderTemplate.subject}</div> : null}
              <div className="cp-preview-body">{preview.data.renderTemplate.body}</div>
              {preview.data.renderTemplate.missing.length > 0 ? (
                <div className="cp-warning">Missing: {preview.data.renderTemplate.missing.map((v) => `${v.variable}${v.usedFallback ? ' (fallback used)' : ''}`).join(', ')}</div>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
      <div className="cp-input-wrap">
        {mentionMatches.length > 0 ? (
          <div className="cp-mentions menu" role="listbox" aria-label="Mention" data-testid="mention-menu">
            {mentionMatches.map((s, i) => (
              <div
                key={s.staffId}
                role="option"
                aria-selected={i === mentionIndex}
                className={`menu-item${i === mentionIndex ? ' menu-item-active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pickMention(s)}
              >
                <span className="menu-label">{s.name}</span>
                {s.role ? <span className="menu-hint">{s.role}</span> : null}
              </div>
            ))}
          </div>
        ) : null}
        <textarea
          id="composer-input"
          ref={input}
          className="cp-input"
          rows={3}
          value={body}
          placeholder={placeholder}
          aria-label={mode === 'note' ? 'Internal note' : mode === 'sms' ? 'SMS message' : 'Email message'}
          disabled={(mode === 'sms' && !phone) || (mode === 'email' && !email)}
          onChange={(e) => onChange(e.target.value, e.target.selectionStart)}
          onKeyDown={onKeyDown}
          onSelect={(e) => mode === 'note' && setMention(activeMention(e.currentTarget.value, e.currentTarget.selectionStart))}
        />
      </div>
      {quiet?.quiet ? (
        <div className="cp-quiet" role="status" data-testid="quiet-hours">
          It is {quiet.localTime} for {conversation.client.name} (quiet hours {business.quietHours?.start}–{business.quietHours?.end}, {timeZone}).{' '}
          {bypass ? 'It will be sent now.' : `It will be scheduled for ${quiet.end}.`}
          <label className="cp-check">
            <input type="checkbox" checked={bypass} onChange={(e) => setBypass(e.target.checked)} data-testid="bypass-quiet-hours" /> Send now anyway
          </label>
        </div>
      ) : null}
      {error ? (
        <div className="cp-send-error" role="alert" data-testid="composer-error">
          {error}
        </div>
      ) : null}
      {notice ? (
        <div className="cp-notice" role="status">
          {notice}
        </div>
      ) : null}
      <div className="cp-bar">
        {mode === 'sms' ? (
          <span className="cp-count" data-testid="segment-counter" title={segments.nonGsm.length ? `UCS-2 because of: ${segments.nonGsm.join(' ')}` : 'GSM-7'}>
            {segmentLabel(segments)}
          </span>
        ) : (
          <span className="cp-count cp-muted">{mode === 'note' ? 'Only staff see notes' : ''}</span>
        )}
        <span className="cp-spacer" />
        {mode !== 'note' ? (
          sendAt !== null ? (
            <span className="cp-schedule">
              <input type="datetime-local" aria-label="Send at" value={sendAt} min={toLocalInput(now)} onChange={(e) => setSendAt(e.target.value)} data-testid="send-at" />
              <button type="button" className="cp-link" onClick={() => setSendAt(null)}>
                Now
              </button>
            </span>
          ) : (
            <Button size="sm" variant="ghost" onClick={() => setSendAt(toLocalInput(new Date(now.getTime() + 3_600_000)))} data-testid="schedule-button">
              Schedule
            </Button>
          )
        ) : null}
        <Button size="sm" variant="primary" disabled={!canSend} onClick={() => void send()} data-testid="send-button" title={`${isMac ? '⌘' : 'Ctrl'}+Enter`}>
          {sending ? 'Sending…' : mode === 'note' ? 'Add note' : scheduledFor ? 'Schedule' : 'Send'}
        </Button>
      </div>
    </div>
  );
}
