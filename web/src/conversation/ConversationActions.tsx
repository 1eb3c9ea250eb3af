// Conversation actions in the pane's header: assign (staff menu, unassign), snooze until (presets or
// a date and time), archive / reopen, and in "More": pin, mute, mark unread. Each calls its
// mutation; the conversation moves between views live from the events the list applies.
import { useState } from 'react';
import { useMutation } from 'urql';
import type { ConversationPaneFieldsFragment } from '../gql/graphql';
import { useMe } from '../inbox/me';
import { describeError } from '../lib/errors';
import { Button, IconButton, Menu, type MenuItem } from '../ui';
import { ArchiveIcon, ClockIcon, UserIcon } from '../ui/icons';
import { PaneAssignMutation, PaneMarkReadMutation, PaneStatusMutation } from './operations';
import { parseLocalInput, snoozePresets, toLocalInput } from './snooze';
import type { PaneStaff } from './usePaneBusiness';

type Open = 'assign' | 'snooze' | 'custom' | 'more' | null;

export function ConversationActions({ conversation, staff, onMarkedUnread }: { conversation: ConversationPaneFieldsFragment; staff: PaneStaff[]; onMarkedUnread(): void }) {
  const me = useMe();
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [custom, setCustom] = useState('');
  const [, assign] = useMutation(PaneAssignMutation);
  const [, updateStatus] = useMutation(PaneStatusMutation);
  const [, markRead] = useMutation(PaneMarkReadMutation);
  const conversationId = conversation.conversationId;

  const run = async (action: () => Promise<{ error?: Parameters<typeof describeError>[0] }>) => {
    setOpen(null);
    setError(null);
    const r = await action();
    if (r.error) setError(describeError(r.error));
    return !r.error;
  };
  const status = (input: { status?: 'open' | 'snoozed' | 'archived'; snoozedUntil?: string; pinned?: boolean; muted?: boolean }) => run(() => updateStatus({ input: { conversationId, ...input } }));

  const assignee = conversation.assignee?.staffId ?? null;
  const assignItems: MenuItem[] = [
    { id: me.staffId, label: `Me (${me.name})`, selected: assignee === me.staffId },
    ...staff.filter((s) => s.staffId !== me.staffId).map((s) => ({ id: s.staffId, label: s.name, hint: s.role ?? undefined, selected: assignee === s.staffId })),
    ...(assignee ? [{ id: '', label: 'Unassign' }] : []),
  ];
  const presets = snoozePresets(new Date());
  const snoozeItems: MenuItem[] = [
    ...presets.map((p) => ({ id: p.id, label: p.label })),
    { id: 'custom', label: 'Pick a date and time…' },
    ...(conversation.status === 'snoozed' ? [{ id: 'wake', label: 'Unsnooze' }] : []),
  ];
  const moreItems: MenuItem[] = [
    { id: 'pin', label: conversation.pinned ? 'Unpin' : 'Pin' },
    { id: 'mute', label: conversation.muted ? 'Unmute' : 'Mute' },
    { id: 'unread', label: 'Mark unread' },
  ];
  const archived = conversation.status === 'archived';
  const customUntil = parseLocalInput(custom, new Date());

  return (
    <div className="cp-actions menu-anchor">
      <IconButton
        label={conversation.assignee ? `Assigned to ${conversation.assignee.name}` : 'Assign'}
        aria-haspopup="listbox"
        aria-expanded={open === 'assign'}
        onClick={() => setOpen(open === 'assign' ? null : 'assign')}
        data-testid="pane-assign"
      >
        <UserIcon />
      </IconButton>
      <IconButton label="Snooze" aria-haspopup="listbox" aria-expanded={open === 'snooze'} onClick={() => setOpen(open === 'snooze' ? null : 'snooze')} data-testid="pane-snooze">
        <ClockIcon />
      </IconButton>
      <IconButton label={archived ? 'Reopen' : 'Archive'} onClick={() => void status({ status: archived ? 'open' : 'archived' })} data-testid="pane-archive">
        <ArchiveIcon />
      </IconButton>
      <IconButton label="More actions" aria-haspopup="listbox" aria-expanded={open === 'more'} onClick={() => setOpen(open === 'more' ? null : 'more')} data-testid="pane-more">
        <span aria-hidden="true" className="cp-more">
          ⋯
        </span>
      </IconButton>
      {open === 'assign' ? (
        <Menu label="Assign to" filterable items={assignItems} onClose={() => setOpen(null)} onSelect={(id) => void run(() => assign({ input: { conversationId, staffId: id || null } }))} />
      ) : null}
      {open === 'snooze' ? (
        <Menu
          label="Snooze until"
          items={snoozeItems}
          onClose={() => setOpen(null)}
          onSelect={(id) => {
            if (id === 'custom') {
              setCustom(toLocalInput(new Date(Date.now() + 86_400_000)));
              setOpen('custom');
            } else if (id === 'wake') void status({ status: 'open' });
            else {
              const preset = presets.find((p) => p.id === id);
              if (preset) void status({ status: 'snoozed', snoozedUntil: preset.until.toISOString() });
            }
          }}
        />
      ) : null}
      {open === 'custom' ? (
        <form
          className="menu-pop cp-custom-snooze"
          onSubmit={(e) => {
            e.preventDefault();
            if (customUntil) void status({ status: 'snoozed', snoozedUntil: customUntil.toISOString() });
          }}
        >
          <label>
            Snooze until
            <input type="datetime-local" value={custom} min={toLocalInput(new Date())} onChange={(e) => setCustom(e.target.value)} data-testid="snooze-custom" autoFocus />
          </label>
          {!customUntil && custom ? <span className="cp-error">Pick a time in the future.</span> : null}
          <div className="cp-row-end">
            <Button size="sm" variant="ghost" onClick={() => setOpen(null)}>
              Cancel
            </Button>
            <Button size="sm" variant="primary" type="submit" disabled={!customUntil}>
              Snooze
            </Button>
          </div>
        </form>
      ) : null}
      {open === 'more' ? (
        <Menu
          label="More actions"
          items={moreItems}
          onClose={() => setOpen(null)}
          onSelect={(id) => {
            if (id === 'pin') void status({ pinned: !conversation.pinned });
            else if (id === 'mute') void status({ muted: !conversation.muted });
            else if (id === 'unread')
              void run(() => markRead({ input: { businessId: me.businessId, conversationId, read: false } })).then((ok) => {
                if (ok) onMarkedUnread();
              });
          }}
        />
      ) : null}
      {error ? (
        <div className="cp-action-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
