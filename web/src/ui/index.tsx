// The inbox's own small component set (styles in ./styles.css).
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';

type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({ variant = 'secondary', size = 'md', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'sm' | 'md' }) {
  return <button type="button" className={`btn btn-${variant} btn-${size} ${className}`} {...props} />;
}

export function IconButton({ label, children, className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { label: string }) {
  return (
    <button type="button" className={`icon-btn ${className}`} aria-label={label} title={label} {...props}>
      {children}
    </button>
  );
}

export function Badge({ children, tone = 'neutral', title }: { children: ReactNode; tone?: 'neutral' | 'accent' | 'success' | 'warning' | 'danger'; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Count({ value, unread }: { value: number | null | undefined; unread?: boolean }) {
  if (value === null || value === undefined) return null;
  return <span className={unread ? 'count count-unread' : 'count'}>{value > 999 ? '999+' : value}</span>;
}

const AVATAR_HUES = [210, 262, 330, 20, 145, 190, 45, 290];

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0]!.charAt(0);
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : '';
  return (first + last).toUpperCase();
}

export function Avatar({ name, size = 32 }: { name: string; size?: number }) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = AVATAR_HUES[hash % AVATAR_HUES.length]!;
  return (
    <span className="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.4, background: `hsl(${hue} 70% 92%)`, color: `hsl(${hue} 55% 32%)` }}>
      {initials(name)}
    </span>
  );
}

export function Banner({ tone = 'info', children, action }: { tone?: 'info' | 'warning' | 'danger'; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <span>{children}</span>
      {action}
    </div>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty">
      {icon ? <div className="empty-icon">{icon}</div> : null}
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="progressbar" aria-label={label} />;
}

export interface MenuItem {
  id: string;
  label: string;
  hint?: string;
  selected?: boolean;
}

/**
 * A popup list chosen with the keyboard (arrows, Enter, Escape) or the mouse; it takes focus when
 * it opens and gives it back when it closes. With `filterable`, typing narrows it.
 */
export function Menu({ items, onSelect, onClose, label, filterable = false }: { items: MenuItem[]; onSelect(id: string): void; onClose(): void; label: string; filterable?: boolean }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const shown = filterable && query ? items.filter((i) => i.label.toLowerCase().includes(query.toLowerCase())) : items;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    (input.current ?? list.current)?.focus();
    return () => previous?.focus?.();
  }, []);
  useEffect(() => {
    const outside = (e: MouseEvent) => {
      if (list.current && !list.current.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [onClose]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(shown.length - 1, a + 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
    else if (e.key === 'Enter') {
      const item = shown[active];
      if (item) onSelect(item.id);
    } else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="menu-pop" onKeyDown={onKeyDown}>
      {filterable ? (
        <input
          ref={input}
          className="menu-filter"
          placeholder={label}
          aria-label={label}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
      ) : null}
      <div ref={list} className="menu" role="listbox" aria-label={label} tabIndex={-1}>
        {shown.map((item, i) => (
          <div
            key={item.id}
            role="option"
            aria-selected={i === active}
            className={`menu-item${i === active ? ' menu-item-active' : ''}`}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onSelect(item.id)}
          >
            <span className="menu-check" aria-hidden="true">
              {item.selected ? '✓' : ''}
            </span>
            <span className="menu-label">{item.label}</span>
            {item.hint ? <span className="menu-hint">{item.hint}</span> : null}
          </div>
        ))}
        {shown.length === 0 ? <div className="menu-empty">No match</div> : null}
      </div>
    </div>
  );
}
