// The client panel: who the conversation is with (name, phones, emails, type, groups, consent, home
// location), the conversation's labels, the client's other conversations; a few fields edited with
// updateClient. Consent changes (STOP, bounces) arrive in the cache with the events' conversations.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { useMe } from '../inbox/me';
import { describeError } from '../lib/errors';
import { Avatar, Badge, Button } from '../ui';
import '../conversation/conversation.css';
import { usePainted } from '../conversation/painted';
import { clientChanges } from './clientModel';

export const ClientPanelQuery = graphql(`
  query ClientPanel($id: String!) {
    conversation(id: $id) {
      id
      conversationId
      labels {
        id
        name
        color
      }
      client {
        ...ClientPanelFields
      }
    }
  }
`);

export const ClientPanelFields = graphql(`
  fragment ClientPanelFields on Client {
    id
    clientId
    name
    firstName
    lastName
    phones
    emails
    type
    groups
    notes
    smsOptOut
    smsOptOutAt
    emailSuppressed
    emailSuppressionReason
    createdAt
    homeLocation {
      id
      locationId
      name
    }
    conversations {
      id
      conversationId
      status
      lastActivityAt
      lastMessagePreview
      location {
        id
        locationId
        name
      }
    }
  }
`);

export const UpdateClientMutation = graphql(`
  mutation PanelUpdateClient($input: UpdateClientInput!) {
    updateClient(input: $input) {
      ...ClientPanelFields
    }
  }
`);

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

export function ClientPanel({ conversationId }: { conversationId: string }) {
  // Asked once the pane has painted its messages: the first paint needs one request only.
  const painted = usePainted(conversationId);
  const [result] = useQuery({ query: ClientPanelQuery, variables: { id: conversationId }, pause: !painted });
  const [editing, setEditing] = useState(false);
  const conversation = result.data?.conversation;
  const client = conversation?.client;
  if (result.error && !result.data) return <div className="panel-section cp-error">{describeError(result.error)}</div>;
  if (!client || !conversation) return null;
  const others = [...client.conversations]
    .filter((c) => c.conversationId !== conversationId)
    .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt))
    .slice(0, 5);
  return (
    <div className="cp-panel" data-testid="client-panel">
      <div className="panel-section">
        <Avatar name={client.name} size={48} />
        <p className="panel-name" data-testid="client-name">
          {client.name}
        </p>
        {client.type ? <div className="cp-muted">{client.type}</div> : null}
        {editing ? (
          <ClientEditForm client={client} onDone={() => setEditing(false)} />
        ) : (
          <>
            {client.phones.map((p) => (
              <div className="panel-row" key={p}>
                <span className="panel-key">Phone</span>
                <span>{p}</span>
              </div>
            ))}
            {client.emails.map((e) => (
              <div className="panel-row" key={e}>
                <span className="panel-key">Email</span>
                <span>{e}</span>
              </div>
            ))}
            {client.homeLocation ? (
              <div className="panel-row">
                <span className="panel-key">Home location</span>
                <span>{client.homeLocation.name}</span>
              </div>
            ) : null}
            {client.groups.length > 0 ? (
              <div className="panel-row">
                <span className="panel-key">Groups</span>
                <span className="cp-chips">
                  {client.groups.map((g) => (
                    <Badge key={g}>{g}</Badge>
                  ))}
                </span>
              </div>
            ) : null}
            <div className="panel-row">
              <span className="panel-key">Client since</span>
              <span>{dateFormat.format(new Date(client.createdAt))}</span>
            </div>
            {client.notes ? <p className="cp-client-notes">{client.notes}</p> : null}
            <Button size="sm" variant="ghost" onClick={() => setEditing(true)} data-testid="edit-client">
              Edit
            </Button>
          </>
        )}
      </div>
      <div className="panel-section">
        <h3 className="cp-panel-title">Consent</h3>
        <div className="panel-row">
          <span className="panel-key">SMS</span>
          {client.smsOptOut ? (
            <Badge tone="danger" title={client.smsOptOutAt ? `Since ${dateFormat.format(new Date(client.smsOptOutAt))}` : undefined}>
              Opted out
            </Badge>
          ) : (
            <Badge tone="success">Subscribed</Badge>
          )}
        </div>
        <div className="panel-row">
          <span className="panel-key">Email</span>
          {client.emailSuppressed ? (
            <Badge tone="danger" title={client.emailSuppressionReason ?? undefined}>
              Suppressed
            </Badge>
          ) : (
            <Badge tone="success">Deliverable</Badge>
          )}
        </div>
      </div>
      {conversation.labels.length > 0 ? (
        <div className="panel-section">
          <h3 className="cp-panel-title">Labels</h3>
          <div className="cp-chips">
            {conversation.labels.map((l) => (
              <span key={l.id} className="cp-label" style={{ borderColor: l.color, color: l.color }}>
                {l.name}
              </span>
            ))}
          </div>
        </div>
      ) : null}
      <div className="panel-section">
        <h3 className="cp-panel-title">Other conversations</h3>
        {others.length === 0 ? <div className="cp-muted">None</div> : null}
        {others.map((c) => (
          <Link key={c.conversationId} href={`/inbox/all/c/${c.conversationId}`} className="cp-other">
            <span className="cp-other-head">
              <span>{c.location.name}</span>
              <span className="cp-muted">{dateFormat.format(new Date(c.lastActivityAt))}</span>
            </span>
            <span className="cp-other-preview">{c.lastMessagePreview ?? ''}</span>
          </Link>
        ))}
      </div>
    </div>
  );
}

interface EditableClient {
  clientId: string;
  firstName: string | null;
  lastName: string | null;
  type: string | null;
  groups: string[];
  notes: string | null;
}

function ClientEditForm({ client, onDone }: { client: EditableClient; onDone(): void }) {
  const me = useMe();
  const [firstName, setFirstName] = useState(client.firstName ?? '');
  const [lastName, setLastName] = useState(client.lastName ?? '');
  const [type, setType] = useState(client.type ?? '');
  const [groups, setGroups] = useState(client.groups.join(', '));
  const [notes, setNotes] = useState(client.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const [state, update] = useMutation(UpdateClientMutation);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const changes = clientChanges(client, { firstName, lastName, type, groups, notes });
    if (Object.keys(changes).length === 0) return onDone();
    const r = await update({ input: { businessId: me.businessId, clientId: client.clientId, ...changes } });
    if (r.error) setError(describeError(r.error));
    else onDone();
  };
  return (
    <form className="cp-edit" onSubmit={(e) => void submit(e)} data-testid="client-edit">
      <label>
        First name
        <input value={firstName} onChange={(e) => setFirstName(e.target.value)} />
      </label>
      <label>
        Last name
        <input value={lastName} onChange={(e) => setLastName(e.target.value)} />
      </label>
      <label>
        Type
        <input value={type} onChange={(e) => setType(e.target.value)} placeholder="e.g. vip" />
      </label>
      <label>
        Groups (comma-separated)
        <input value={groups} onChange={(e) => setGroups(e.target.value)} />
      </label>
      <label>
        Notes
        <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      {error ? (
        <div className="cp-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="cp-row-end">
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" disabled={state.fetching}>
          Save
        </Button>
      </div>
    </form>
  );
}
