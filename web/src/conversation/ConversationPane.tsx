// The conversation pane: the conversation's messages (newest page first, older pages when scrolled to
// the top), kept live without refetching: every inbox event carries the message as it is now, so a
// new message is appended and a status change replaces the message of the same id. Then the
// conversation actions and the composer.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useQuery, type Client } from 'urql';
import type { ConversationPaneFieldsFragment, MessageFieldsFragment } from '../gql/graphql';
import { useMe } from '../inbox/me';
import { describeError } from '../lib/errors';
import { useConnectionState, useInboxEvent } from '../live';
import { Avatar, Badge, EmptyState, IconButton, Spinner } from '../ui';
import { BackIcon, ClockIcon } from '../ui/icons';
import { ClientPanel } from '../client/ClientPanel';
import { Composer } from './Composer';
import { ConversationActions } from './ConversationActions';
import { canRetry, failureReason, groupByDay, mergeMessages, statusTick, upsertMessage } from './messageModel';
import { splitMentions, type MentionStaff } from './mentions';
import { ConversationPaneQuery, OlderMessagesQuery, PaneMarkReadMutation, PaneRefreshMessageQuery, PaneRetryMutation } from './operations';
import { markPainted, usePainted } from './painted';
import { usePaneBusiness } from './usePaneBusiness';
import './conversation.css';

/** Messages per page: the newest page first, then older ones as the reader scrolls up. */
export const PAGE_SIZE = 30;

/**
 * Asks for a conversation's newest page ahead of opening it (a row hovered, or selected with j/k), so
 * that opening it paints from the cache. Fire and forget; the cache keeps the answer.
 */
export function prefetchConversation(client: Client, conversationId: string): void {
  void client.query(ConversationPaneQuery, { id: conversationId, first: PAGE_SIZE }).toPromise();
}

export interface ConversationPaneProps {
  conversationId: string;
  /** Back to the list (phone width) or close the conversation. */
  onBack(): void;
}

type Message = MessageFieldsFragment;

export function ConversationPane({ conversationId, onBack }: ConversationPaneProps) {
  const me = useMe();
  const client = useClient();
  const [result, reexecute] = useQuery({ query: ConversationPaneQuery, variables: { id: conversationId, first: PAGE_SIZE }, requestPolicy: 'cache-and-network' });
  // The live layer reloaded its state (its cursor had expired): events may have been missed, so the
  // newest page is asked again (the only refetch the pane makes).
  const { generation } = useConnectionState();
  const seenGeneration = useRef(generation);
  useEffect(() => {
    if (generation === seenGeneration.current) return;
    seenGeneration.current = generation;
    reexecute({ requestPolicy: 'network-only' });
  }, [generation, reexecute]);
  const business = usePaneBusiness(me.businessId, conversationId);
  const [older, setOlder] = useState<Message[]>([]);
  const [olderCursor, setOlderCursor] = useState<{ after: string | null; hasMore: boolean } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [live, setLive] = useState<Message[]>([]);
  // Below 1100px the client panel is not shown beside the pane: a button opens it over the messages.
  const [showClient, setShowClient] = useState(false);
  const [, markRead] = useMutation(PaneMarkReadMutation);

  const firstPage = result.data?.messages;
  const cursor = olderCursor ?? (firstPage ? { after: firstPage.pageInfo.endCursor ?? null, hasMore: firstPage.pageInfo.hasNextPage } : null);

  const addLive = useCallback(
    (m: Message) => {
      if (m.conversationId === conversationId) setLive((list) => upsertMessage(list, m));
    },
    [conversationId],
  );

  // Read once painted; and again when a message comes in while it is open and the page is visible.
  const markReadNow = useCallback(() => {
    void markRead({ input: { businessId: me.businessId, conversationId, read: true } });
  }, [markRead, me.businessId, conversationId]);
  const isPainted = usePainted(conversationId);
  useEffect(() => {
    if (isPainted) markReadNow();
  }, [isPainted, markReadNow]);

  useInboxEvent((event) => {
    if (event.conversationId !== conversationId || !event.message) return;
    addLive(event.message);
    if (event.kind === 'MESSAGE_CREATED' && event.message.direction === 'inbound' && document.visibilityState === 'visible') markReadNow();
  });

  const messages = useMemo(() => mergeMessages([older, firstPage?.edges.map((e) => e.node) ?? [], live]), [older, firstPage, live]);
  const now = useMemo(() => new Date(), [messages]);
  const groups = useMemo(() => groupByDay(messages, now), [messages, now]);

  // Scrolling: start at the newest message; stay at the bottom when new ones arrive if the reader was
  // there; keep the reader's place when an older page is prepended.
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prepend = useRef<{ height: number; top: number } | null>(null);
  const painted = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prepend.current) {
      el.scrollTop = prepend.current.top + (el.scrollHeight - prepend.current.height);
      prepend.current = null;
    } else if (atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages]);
  useEffect(() => {
    if (painted.current || !result.data) return;
    painted.current = true;
    requestAnimationFrame(() => markPainted(conversationId));
  }, [result.data, conversationId]);

  // A ref, not the state: scroll events come faster than a render, and one page is asked at a time.
  const olderInFlight = useRef(false);
  const loadOlder = useCallback(async () => {
    if (!cursor?.hasMore || !cursor.after || olderInFlight.current) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    const page = await client.query(OlderMessagesQuery, { id: conversationId, first: PAGE_SIZE, after: cursor.after }, { requestPolicy: 'network-only' }).toPromise();
    olderInFlight.current = false;
    setLoadingOlder(false);
    if (page.error || !page.data) {
      setOlderError(page.error ? describeError(page.error) : 'Older messages could not load.');
      return;
    }
    const el = scroller.current;
    if (el) prepend.current = { height: el.scrollHeight, top: el.scrollTop };
    const nodes = page.data.messages.edges.map((e) => e.node);
    setOlder((o) => [...o, ...nodes]);
    setOlderCursor({ after: page.data.messages.pageInfo.endCursor ?? null, hasMore: page.data.messages.pageInfo.hasNextPage });
  }, [client, conversationId, cursor]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (el.scrollTop < 120) void loadOlder();
  };

  // A short conversation does not scroll: nothing to do. A first page that fills less than the pane
  // while there is more: load the next one.
  useEffect(() => {
    const el = scroller.current;
    if (el && cursor?.hasMore && el.scrollHeight <= el.clientHeight && older.length === 0 && result.data) void loadOlder();
  }, [cursor?.hasMore, older.length, result.data, loadOlder]);

  const [, retry] = useMutation(PaneRetryMutation);
  const [retryErrors, setRetryErrors] = useState<Record<string, string>>({});
  const onRetry = useCallback(
    async (m: Message) => {
      setRetryErrors((e) => ({ ...e, [m.messageId]: '' }));
      const r = await retry({ input: { businessId: me.businessId, messageId: m.messageId } });
      if (r.error) {
        setRetryErrors((e) => ({ ...e, [m.messageId]: describeError(r.error!) }));
        return;
      }
      // The message as it is now (queued again); events move it on from there.
      const fresh = await client.query(PaneRefreshMessageQuery, { id: m.id }, { requestPolicy: 'network-only' }).toPromise();
      const node = fresh.data?.node;
      if (node && 'messageId' in node) addLive(node as Message);
    },
    [retry, client, me.businessId, addLive],
  );

  const conversation = result.data?.conversation;
  const staff = business.staff;

  if (result.error && !result.data) {
    return (
      <div className="cp-root" data-conversation-pane="" data-conversation-id={conversationId}>
        <header className="pane-header">
          <IconButton label="Back to the list" className="mobile-only" onClick={onBack}>
            <BackIcon />
          </IconButton>
        </header>
        <EmptyState title="This conversation could not load">{describeError(result.error)}</EmptyState>
      </div>
    );
  }

  return (
    <div className="cp-root" data-conversation-pane="" data-conversation-id={conversationId}>
      <header className="pane-header cp-header">
        <IconButton label="Back to the list" className="mobile-only" onClick={onBack} data-testid="pane-back">
          <BackIcon />
        </IconButton>
        {conversation ? <Avatar name={conversation.client.name} size={28} /> : null}
        <div className="cp-title">
          <h2 className="pane-title">{conversation?.client.name ?? ''}</h2>
          {conversation ? <HeaderSubtitle conversation={conversation} /> : null}
        </div>
        <IconButton label="Client details" className="cp-narrow-only" aria-expanded={showClient} onClick={() => setShowClient((v) => !v)} data-testid="pane-client-details">
          <span aria-hidden="true" className="cp-info">
            i
          </span>
        </IconButton>
        {conversation ? <ConversationActions conversation={conversation} staff={staff} onMarkedUnread={onBack} /> : null}
      </header>
      {showClient ? (
        <div className="cp-client-drawer cp-narrow-only" data-testid="client-drawer">
          <ClientPanel conversationId={conversationId} />
        </div>
      ) : null}
      <div className="messages cp-messages" data-testid="messages" ref={scroller} onScroll={onScroll} role="log" aria-label="Messages">
        {!result.data && result.fetching ? <Spinner label="Loading messages" /> : null}
        {cursor?.hasMore ? (
          <div className="cp-older">
            {loadingOlder ? (
              <Spinner label="Loading older messages" />
            ) : (
              <button type="button" className="cp-link" onClick={() => void loadOlder()}>
                Load older messages
              </button>
            )}
            {olderError ? <span className="cp-error">{olderError}</span> : null}
          </div>
        ) : result.data && messages.length > 0 ? (
          <div className="cp-start">Start of the conversation</div>
        ) : null}
        {result.data && messages.length === 0 ? <EmptyState title="No messages yet">Write the first one below.</EmptyState> : null}
        {groups.map((g) => (
          <div key={g.day} className="cp-day" role="group" aria-label={g.label}>
            <div className="cp-day-label">
              <span>{g.label}</span>
            </div>
            {g.messages.map((m) => (
              <MessageItem key={m.messageId} m={m} clientName={conversation?.client.name ?? ''} staff={staff} myStaffId={me.staffId} onRetry={onRetry} retryError={retryErrors[m.messageId]} />
            ))}
          </div>
        ))}
      </div>
      {conversation ? (
        <Composer
          conversation={conversation}
          business={business}
          onSent={(ms) => {
            // What one sends is shown, wherever the reader had scrolled.
            atBottom.current = true;
            ms.forEach(addLive);
          }}
        />
      ) : null}
    </div>
  );
}

function HeaderSubtitle({ conversation }: { conversation: ConversationPaneFieldsFragment }) {
  return (
    <div className="cp-subtitle">
      <span>{conversation.location.name}</span>
      {conversation.assignee ? <span data-testid="pane-assignee">· {conversation.assignee.name}</span> : <span data-testid="pane-assignee">· Unassigned</span>}
      {conversation.status === 'archived' ? <Badge>Archived</Badge> : null}
      {conversation.status === 'snoozed' ? <Badge tone="warning">Snoozed{conversation.snoozedUntil ? ` until ${shortDateTime(conversation.snoozedUntil)}` : ''}</Badge> : null}
      {conversation.pinned ? <Badge tone="accent">Pinned</Badge> : null}
      {conversation.muted ? <Badge>Muted</Badge> : null}
      {conversation.labels.map((l) => (
        <span key={l.id} className="cp-label" style={{ borderColor: l.color, color: l.color }}>
          {l.name}
        </span>
      ))}
    </div>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

export function shortDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

const CALL_STATUS: Record<string, string> = {
  completed: 'Call',
  no_answer: 'Missed call',
  busy: 'Missed call (busy)',
  failed: 'Call failed',
  canceled: 'Call canceled',
  ringing: 'Ringing',
  in_progress: 'Call in progress',
  initiated: 'Calling',
  queued: 'Calling',
};

interface MessageItemProps {
  m: Message;
  clientName: string;
  staff: readonly MentionStaff[];
  myStaffId: string;
  onRetry(m: Message): Promise<void>;
  retryError: string | undefined;
}

const MessageItem = memo(function MessageItem({ m, clientName, staff, myStaffId, onRetry, retryError }: MessageItemProps) {
  const [retrying, setRetrying] = useState(false);
  const kind = m.channel === 'note' ? 'msg-note' : m.direction === 'outbound' ? 'msg-out' : 'msg-in';
  const tick = statusTick(m.status, m.direction);
  const failed = tick.kind === 'failed';
  const author = m.channel === 'note' || m.direction === 'outbound' ? (m.authorStaff?.name ?? (m.direction === 'outbound' ? 'Automated' : '')) : clientName;
  const mentionsMe = m.channel === 'note' && m.mentionStaffIds.includes(myStaffId);
  return (
    <div className={`msg cp-msg ${kind}${failed ? ' cp-failed' : ''}${mentionsMe ? ' cp-mentions-me' : ''}`} data-message-id={m.messageId} data-status={m.status} data-channel={m.channel}>
      <div className="bubble cp-bubble">
        {m.channel === 'note' ? <div className="cp-note-tag">Internal note</div> : null}
        {m.channel === 'email' && m.subject ? <div className="cp-subject">{m.subject}</div> : null}
        {m.channel === 'voice' ? (
          <div className="cp-call">
            <PhoneGlyph />
            <span>{m.body || `${CALL_STATUS[m.voiceCall?.status ?? ''] ?? 'Call'}${m.voiceCall?.durationSeconds ? ` (${duration(m.voiceCall.durationSeconds)})` : ''}`}</span>
          </div>
        ) : m.channel === 'note' ? (
          <NoteBody body={m.body ?? ''} staff={staff} myStaffId={myStaffId} />
        ) : m.body ? (
          m.body
        ) : (
          <span className="cp-muted">{m.channel === 'email' ? '(an HTML email without a text version)' : '(no text)'}</span>
        )}
        <div className="msg-meta cp-meta">
          {author ? <span className="cp-author">{author}</span> : null}
          <span className="cp-channel">{m.channel === 'note' ? 'Note' : m.channel === 'sms' ? 'SMS' : m.channel === 'email' ? 'Email' : 'Voice'}</span>
          <time dateTime={m.createdAt} title={fullFormat.format(new Date(m.createdAt))}>
            {timeFormat.format(new Date(m.createdAt))}
          </time>
          {tick.kind !== 'none' ? (
            <span className={`cp-tick cp-tick-${tick.kind}`} title={tick.label} aria-label={tick.label} data-testid="status-tick" data-tick={tick.kind}>
              {tick.kind === 'pending' || tick.kind === 'scheduled' ? <ClockIcon /> : tick.glyph} <span className="cp-tick-label">{tick.label}</span>
            </span>
          ) : null}
        </div>
        {m.status === 'scheduled' && m.scheduledAt ? <div className="cp-scheduled">Scheduled for {shortDateTime(m.scheduledAt)}</div> : null}
      </div>
      {failed ? (
        <div className="cp-failure" role="alert">
          <span className="cp-failure-reason" data-testid="failure-reason">
            {failureReason(m)}
          </span>
          {canRetry(m) ? (
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={retrying}
              data-testid="retry-button"
              onClick={() => {
                setRetrying(true);
                void onRetry(m).finally(() => setRetrying(false));
              }}
            >
              {retrying ? 'Retrying…' : 'Retry'}
            </button>
          ) : null}
          {retryError ? <span className="cp-error">{retryError}</span> : null}
        </div>
      ) : null}
    </div>
  );
});

function PhoneGlyph() {
  return (
    <svg className="cp-call-icon" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z" />
    </svg>
  );
}

function NoteBody({ body, staff, myStaffId }: { body: string; staff: readonly MentionStaff[]; myStaffId: string }) {
  const parts = useMemo(() => splitMentions(body, staff), [body, staff]);
  return (
    <>
      {parts.map((p, i) =>
        p.staffId ? (
          <span key={i} className={`cp-mention${p.staffId === myStaffId ? ' cp-mention-me' : ''}`} data-staff-id={p.staffId}>
            {p.text}
          </span>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
