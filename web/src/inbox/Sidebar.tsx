// Views with live counts (conversationFilters, fetched again shortly after conversation events) and
// labels; the signed-in staff member and sign-out at the foot.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'wouter';
import { Avatar, Count, IconButton } from '../ui';
import { ArchiveIcon, AtIcon, ClockIcon, DotIcon, InboxIcon, ListIcon, SignOutIcon, UserIcon, UsersIcon } from '../ui/icons';
import { useMe } from './me';
import { sameView, viewPath, VIEWS, type ViewId, type ViewRef } from './routes';
import { useFilterCounts } from './useFilterCounts';

const ICONS: Record<Exclude<ViewId, 'label'>, ReactNode> = {
  inbox: <InboxIcon />,
  mine: <UserIcon />,
  unassigned: <UsersIcon />,
  mentions: <AtIcon />,
  unread: <DotIcon />,
  snoozed: <ClockIcon />,
  archived: <ArchiveIcon />,
  all: <ListIcon />,
};

export function Sidebar({ current, open, onClose }: { current: ViewRef | null; open: boolean; onClose(): void }) {
  const me = useMe();
  const counts = useFilterCounts();
  const first = useRef<HTMLAnchorElement>(null);
  // The tab says how many conversations wait unread in the inbox.
  const inboxUnread = counts.view('inbox', me.staffId).unread;
  useEffect(() => {
    document.title = `${inboxUnread > 0 ? `(${inboxUnread}) ` : ''}Omega inbox`;
  }, [inboxUnread]);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  return (
    <>
      {open ? <div className="sidebar-backdrop" aria-hidden="true" onClick={onClose} /> : null}
      <nav className={`sidebar${open ? ' open' : ''}`} aria-label="Views" onClick={(e) => (e.target as HTMLElement).closest('a') && onClose()}>
        <div className="brand">
          <span className="brand-mark">Ω</span> Omega
        </div>
        <div className="nav-section">
          {VIEWS.map((v, i) => {
            const count = counts.view(v.id, me.staffId);
            return (
              <Link
                key={v.id}
                ref={i === 0 ? first : undefined}
                href={viewPath({ view: v.id })}
                className="nav-item"
                aria-current={current && sameView(current, { view: v.id }) ? 'page' : undefined}
                data-view={v.id}
              >
                {ICONS[v.id]}
                <span>{v.name}</span>
                <Count value={count.unread || count.total || null} unread={count.unread > 0} />
              </Link>
            );
          })}
        </div>
        {counts.labels.length > 0 ? (
          <div className="nav-section">
            <div className="nav-title">Labels</div>
            {counts.labels.map((l) => (
              <Link
                key={l.value ?? l.label}
                href={viewPath({ view: 'label', labelId: l.value ?? '' })}
                className="nav-item"
                aria-current={current && sameView(current, { view: 'label', labelId: l.value ?? '' }) ? 'page' : undefined}
              >
                <span className="label-dot" style={{ background: l.color ?? '#999' }} />
                <span>{l.label}</span>
                <Count value={l.count || null} />
              </Link>
            ))}
          </div>
        ) : null}
        <div className="sidebar-foot">
          <div className="me">
            <Avatar name={me.name} size={28} />
            <span className="me-name">{me.name}</span>
            <IconButton label="Sign out" onClick={() => void me.signOut()} data-testid="sign-out">
              <SignOutIcon />
            </IconButton>
          </div>
        </div>
      </nav>
    </>
  );
}
