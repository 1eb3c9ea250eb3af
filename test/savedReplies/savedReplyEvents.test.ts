// saved_reply.* events in the GraphQL subscription, typed (SavedReplyCreatedEvent, ...), resumed
// from a cursor taken before the changes.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collectEvents } from '../helpers/collectEvents.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

const EVENTS = `subscription ($b: String!, $after: String) { inboxEvents(businessId: $b, after: $after) {
  __typename kind type conversationId messageId
  ... on SavedReplyCreatedEvent { savedReplyId name shortcut savedReplyChannel locationId staffId }
  ... on SavedReplyUpdatedEvent { savedReplyId name shortcut savedReplyChannel changedFields }
  ... on SavedReplyDeletedEvent { savedReplyId name }
  ... on MessageCreatedEvent { channel }
} }`;

describe('saved reply events over the subscription', () => {
  let t: TestApp;
  let client: Client;
  let a: { id: string; apiKey: string };

  beforeAll(async () => {
    t = await startTestApp();
    a = await createBusiness(t.deps, 'sr-events');
    const url = `${(await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')}/graphql`;
    client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { 'X-API-KEY': a.apiKey }, onNonLazyError: () => undefined });
  });
  afterAll(async () => {
    await client?.dispose();
    await t?.close();
  });

  it('streams created, updated and deleted as typed events', async () => {
    const headers = { 'x-api-key': a.apiKey };
    const cursor = (await t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: `query ($b: String!) { inboxEventCursor(businessId: $b) }`, variables: { b: a.id } } })).json()
      .data.inboxEventCursor;
    const created = (
      await t.app.inject({ method: 'POST', url: `/businesses/${a.id}/saved-replies`, headers, payload: { name: 'Hi', shortcut: 'hi', channel: 'sms', body: 'Hi {{client.first_name | "there"}}' } })
    ).json();
    await t.app.inject({ method: 'PATCH', url: `/businesses/${a.id}/saved-replies/${created.id}`, headers, payload: { shortcut: 'hello', body: 'Hello' } });
    await t.app.inject({ method: 'DELETE', url: `/businesses/${a.id}/saved-replies/${created.id}`, headers });
    const { done, dispose } = collectEvents<Record<string, unknown>>(client, EVENTS, { b: a.id, after: cursor }, 3);
    const events = await done;
    dispose();
    expect(events).toEqual([
      {
        __typename: 'SavedReplyCreatedEvent',
        kind: 'SAVED_REPLY_CREATED',
        type: 'saved_reply.created',
        conversationId: null,
        messageId: null,
        savedReplyId: created.id,
        name: 'Hi',
        shortcut: 'hi',
        savedReplyChannel: 'sms',
        locationId: null,
        staffId: null,
      },
      {
        __typename: 'SavedReplyUpdatedEvent',
        kind: 'SAVED_REPLY_UPDATED',
        type: 'saved_reply.updated',
        conversationId: null,
        messageId: null,
        savedReplyId: created.id,
        name: 'Hi',
        shortcut: 'hello',
        savedReplyChannel: 'sms',
        changedFields: ['shortcut', 'body'],
      },
      { __typename: 'SavedReplyDeletedEvent', kind: 'SAVED_REPLY_DELETED', type: 'saved_reply.deleted', conversationId: null, messageId: null, savedReplyId: created.id, name: 'Hi' },
    ]);
  });
});
