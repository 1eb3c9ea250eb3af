// Saved replies over REST and GraphQL: create, list (search, location, channel), read, update,
// delete, each with its inbox event; templates checked when saved (unknown variable, bad fallback:
// REST 422 and GraphQL BAD_USER_INPUT naming the field, the variable and where); shortcuts unique
// whatever their case; previews with missing values; another business's reply is 404 everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';

const FIELDS = 'id businessId locationId name shortcut channel subject body createdAt updatedAt';

describe('saved replies', () => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let service: string;
  let session: string;
  let staffId: string;
  let downtown: string;
  let uptown: string;
  let clientId: string;

  const key = (k: string) => ({ 'x-api-key': k });
  const rest = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const gql = (query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } });
  const create = async (business: { id: string; apiKey: string }, body: Record<string, unknown>) => {
    const res = await rest('POST', `/businesses/${business.id}/saved-replies`, key(business.apiKey), body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const events = async (businessId: string) =>
    (await t.deps.prisma.inboxEvent.findMany({ where: { businessId, type: { startsWith: 'saved_reply.' } }, orderBy: { id: 'asc' } })).map((e) => ({
      type: e.type,
      payload: e.payload as Record<string, unknown>,
    }));

  beforeAll(async () => {
    t = await startTestApp();
    a = await createBusiness(t.deps, 'sr-a');
    b = await createBusiness(t.deps, 'sr-b');
    service = await createServiceKey(t.deps);
    downtown = (await t.deps.prisma.location.create({ data: { businessId: a.id, name: 'Downtown', smsPhoneNumber: '+14155550100' } })).id;
    uptown = (await t.deps.prisma.location.create({ data: { businessId: a.id, name: 'Uptown' } })).id;
    staffId = (await t.deps.prisma.staff.create({ data: { businessId: a.id, firstName: 'Maya' } })).id;
    clientId = (await t.deps.prisma.client.create({ data: { businessId: a.id, firstName: 'Rosa', lastName: 'Mitchell', phones: ['+14155550101'], homeLocationId: downtown } })).id;
    session = (await rest('POST', '/auth/token', key(a.apiKey), { business_id: a.id, staff_id: staffId })).json().access_token;
  });
  afterAll(() => t?.close());

  it('creates, lists, reads, updates and deletes over REST, each change with its inbox event', async () => {
    const welcome = await create(a, { name: 'Welcome', shortcut: '/Welcome', body: 'Hi {{client.first_name | "there"}}, welcome to {{ business.name }}!' });
    expect(welcome).toMatchObject({ business_id: a.id, location_id: null, name: 'Welcome', shortcut: 'welcome', channel: 'any', subject: null });
    const got = await rest('GET', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey));
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(welcome);

    const patched = await rest('PATCH', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey), { name: 'Welcome!', channel: 'email', subject: 'Hello from {{location.name}}' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Welcome!', channel: 'email', subject: 'Hello from {{location.name}}', shortcut: 'welcome' });
    // Nothing changed: no event.
    expect((await rest('PATCH', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey), { name: 'Welcome!' })).statusCode).toBe(200);
    // subject null removes it; an SMS reply cannot have one.
    expect((await rest('PATCH', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey), { channel: 'sms' })).json().detail[0]).toMatchObject({ loc: ['body', 'subject'] });
    expect((await rest('PATCH', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey), { channel: 'sms', subject: null })).json()).toMatchObject({ channel: 'sms', subject: null });

    const deleted = await rest('DELETE', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey));
    expect(deleted.statusCode).toBe(204);
    expect((await rest('GET', `/businesses/${a.id}/saved-replies/${welcome.id}`, key(a.apiKey))).json()).toMatchObject({ code: 'SAVED_REPLY_NOT_FOUND' });

    const log = await events(a.id);
    expect(log.map((e) => e.type)).toEqual(['saved_reply.created', 'saved_reply.updated', 'saved_reply.updated', 'saved_reply.deleted']);
    expect(log[0]!.payload).toMatchObject({ savedReplyId: welcome.id, name: 'Welcome', shortcut: 'welcome', channel: 'any', locationId: null, staffId: null });
    expect((log[1]!.payload['changed'] as string[]).sort()).toEqual(['channel', 'name', 'subject']);
    expect((log[2]!.payload['changed'] as string[]).sort()).toEqual(['channel', 'subject']);
    // The event feed carries them (snake_case changes, no message or conversation).
    const feed = (await rest('GET', `/businesses/${a.id}/events?types=saved_reply.deleted`, key(a.apiKey))).json();
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0].data).toMatchObject({
      conversation_id: null,
      message_id: null,
      changes: { saved_reply_id: welcome.id, shortcut: 'welcome', channel: 'sms' },
      message: null,
      conversation: null,
    });
  });

  it('refuses an unknown variable or a malformed tag when saved: 422 naming the field, the variable and where', async () => {
    const unknown = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), { name: 'Bad', shortcut: 'bad', body: 'Hi\n{{client.nickname}}!' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toEqual([
      expect.objectContaining({
        type: 'template_unknown_variable',
        loc: ['body', 'body'],
        input: 'client.nickname',
        msg: expect.stringMatching(/Unknown variable "client\.nickname".*line 2, column 3/),
      }),
    ]);
    const badFallback = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), {
      name: 'Bad',
      shortcut: 'bad',
      channel: 'email',
      subject: 'Hi {{client.first_name | there}}',
      body: 'ok',
    });
    expect(badFallback.statusCode).toBe(422);
    expect(badFallback.json().detail[0]).toMatchObject({ type: 'template_syntax', loc: ['body', 'subject'], msg: expect.stringContaining('double-quoted') });
    for (const body of ['{{client.first_name', '{{ }}', '{{#if client.first_name}}x{{/if}}', '{{client.first_name | "a" | "b"}}', '{{client.first_name "x"}}', '{{> partial}}']) {
      const res = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), { name: 'Bad', shortcut: 'bad', body });
      expect(res.statusCode, body).toBe(422);
      expect(res.json().detail[0].loc, body).toEqual(['body', 'body']);
    }
    // Escapes are accepted: \{{ is literal, \" inside a fallback.
    const ok = await create(a, { name: 'Escapes', shortcut: 'escapes', body: '\\{{literal}} {{client.first_name | "my \\"friend\\""}}' });
    const preview = (await rest('POST', `/businesses/${a.id}/saved-replies/${ok.id}/preview`, key(a.apiKey), {})).json();
    expect(preview.body).toBe('{{literal}} my "friend"');

    const gqlBad = await gql(`mutation ($i: CreateSavedReplyInput!) { createSavedReply(input: $i) { id } }`, key(a.apiKey), {
      i: { businessId: a.id, name: 'Bad', shortcut: 'bad', body: 'Hello {{staff.last_name}}' },
    });
    const err = gqlBad.json().errors[0];
    // Domain validation errors keep their code over GraphQL (kind validation), with the issues.
    expect(err.extensions).toMatchObject({ code: 'VALIDATION_FAILED', kind: 'validation', issues: [{ loc: ['input', 'body'], input: 'staff.last_name' }] });
    expect(err.message).toMatch(/input\.body.*Unknown variable "staff\.last_name".*line 1, column 9/);
    expect(await t.deps.prisma.savedReply.count({ where: { businessId: a.id, shortcut: 'bad' } })).toBe(0);
  });

  it('keeps shortcuts unique per business whatever their case, and bounds the fields', async () => {
    await create(a, { name: 'Hours', shortcut: 'hours', body: 'We open at 9.' });
    const dup = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), { name: 'Hours 2', shortcut: '/HOURS', body: 'x' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('SAVED_REPLY_SHORTCUT_TAKEN');
    // Another business may use it.
    await create(b, { name: 'Hours', shortcut: 'Hours', body: 'x' });
    const long = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), { name: 'x'.repeat(101), shortcut: 'has space', body: 'y'.repeat(1601) });
    expect(long.statusCode).toBe(422);
    expect(long.json().detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual(expect.arrayContaining(['body.name']));
    const domain = await rest('POST', `/businesses/${a.id}/saved-replies`, key(a.apiKey), { name: 'x', shortcut: 'has space', body: 'y'.repeat(1601) });
    expect(
      domain
        .json()
        .detail.map((d: { loc: string[] }) => d.loc.join('.'))
        .sort(),
    ).toEqual(['body.body', 'body.shortcut']);
    // An email reply may be longer.
    await create(a, { name: 'Long email', shortcut: 'long-email', channel: 'email', body: 'y'.repeat(1601) });
  });

  it('lists by name with search by name or shortcut, per location and per channel, over REST and GraphQL', async () => {
    await create(a, { name: 'Directions downtown', shortcut: 'dir-dt', location_id: downtown, channel: 'sms', body: 'We are at {{location.name}}.' });
    await create(a, { name: 'Directions uptown', shortcut: 'dir-up', location_id: uptown, channel: 'sms', body: 'Uptown.' });
    await create(a, { name: 'Invoice', shortcut: 'inv', channel: 'email', subject: 'Your invoice', body: 'Attached.' });
    const names = async (query: string) => {
      const res = await rest('GET', `/businesses/${a.id}/saved-replies?${query}`, key(a.apiKey));
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((r: { name: string }) => r.name);
    };
    expect(await names('search=direct')).toEqual(['Directions downtown', 'Directions uptown']);
    expect(await names('search=/INV')).toEqual(['Invoice']);
    expect(await names(`search=dir&location_id=${downtown}`)).toEqual(['Directions downtown']);
    const atUptown = await names(`location_id=${uptown}`);
    expect(atUptown).toContain('Directions uptown');
    expect(atUptown).toContain('Hours');
    expect(atUptown).not.toContain('Directions downtown');
    const email = await names('channel=email');
    expect(email).toContain('Invoice');
    expect(email).toContain('Hours'); // any
    expect(email).not.toContain('Directions downtown');
    const page = (await rest('GET', `/businesses/${a.id}/saved-replies?page_size=2`, key(a.apiKey))).json();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    const next = (await rest('GET', `/businesses/${a.id}/saved-replies?page_size=2&cursor=${page.next_cursor}`, key(a.apiKey))).json();
    expect(next.items[0].name > page.items[1].name).toBe(true);
    expect(await names('search=hours')).toEqual(['Hours']); // not business b's
    // LIKE wildcards are text.
    expect(await names('search=%25')).toEqual([]);
    expect(await names('search=_')).toEqual([]);
    await create(a, { name: '50% off_today', shortcut: 'promo', body: 'x' });
    expect(await names('search=%25')).toEqual(['50% off_today']);
    expect(await names('search=%25%20off_')).toEqual(['50% off_today']);

    const res = await gql(
      `query ($b: String!, $l: String) { savedReplies(businessId: $b, search: "dir", locationId: $l, channel: sms, first: 5) { totalCount edges { node { ${FIELDS} } } } }`,
      { authorization: `Bearer ${session}` },
      { b: a.id, l: uptown },
    );
    expect(res.json().errors).toBeUndefined();
    const conn = res.json().data.savedReplies;
    expect(conn.totalCount).toBe(1);
    expect(conn.edges[0].node).toMatchObject({ name: 'Directions uptown', locationId: uptown, channel: 'sms' });
  });

  it('manages replies over GraphQL (a session too), with typed events', async () => {
    const auth = { authorization: `Bearer ${session}` };
    const created = await gql(`mutation ($i: CreateSavedReplyInput!) { createSavedReply(input: $i) { ${FIELDS} } }`, auth, {
      i: { businessId: a.id, name: 'Follow up', shortcut: 'Follow-Up', channel: 'sms', body: 'Hi {{client.first_name}}, {{staff.first_name}} here.' },
    });
    expect(created.json().errors).toBeUndefined();
    const reply = created.json().data.createSavedReply;
    expect(reply).toMatchObject({ shortcut: 'follow-up', channel: 'sms', subject: null });
    const updated = await gql(`mutation ($i: UpdateSavedReplyInput!) { updateSavedReply(input: $i) { name locationId } }`, auth, { i: { id: reply.id, name: 'Follow-up', locationId: downtown } });
    expect(updated.json().data.updateSavedReply).toEqual({ name: 'Follow-up', locationId: downtown });
    const one = await gql(`query ($id: String!) { savedReply(id: $id) { name } }`, auth, { id: reply.id });
    expect(one.json().data.savedReply.name).toBe('Follow-up');
    const deleted = await gql(`mutation ($i: SavedReplyIdInput!) { deleteSavedReply(input: $i) { id } }`, auth, { i: { id: reply.id } });
    expect(deleted.json().data.deleteSavedReply.id).toBe(reply.id);
    const log = (await events(a.id)).filter((e) => e.payload['savedReplyId'] === reply.id);
    expect(log.map((e) => e.type)).toEqual(['saved_reply.created', 'saved_reply.updated', 'saved_reply.deleted']);
    expect(log.every((e) => e.payload['staffId'] === staffId)).toBe(true);
    expect(log[1]!.payload['changed']).toEqual(['name', 'location']);
  });

  it("answers 404 for another business's reply on every route, and changes nothing", async () => {
    const theirs = await create(b, { name: 'Theirs', shortcut: 'theirs', body: 'x' });
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Mine now' }],
      ['DELETE', '', undefined],
      ['POST', '/preview', {}],
    ] as const) {
      const res = await rest(method, `/businesses/${a.id}/saved-replies/${theirs.id}${suffix}`, key(a.apiKey), body);
      expect(res.statusCode, `${method} ${suffix}`).toBe(404);
      expect(res.json().code).toBe('SAVED_REPLY_NOT_FOUND');
    }
    expect((await rest('GET', `/businesses/${b.id}/saved-replies/${theirs.id}`, key(a.apiKey))).statusCode).toBe(403);
    const auth = key(a.apiKey);
    for (const [query, variables] of [
      [`query ($id: String!) { savedReply(id: $id) { id } }`, { id: theirs.id }],
      [`mutation ($id: String!) { updateSavedReply(input: { id: $id, name: "Mine" }) { id } }`, { id: theirs.id }],
      [`mutation ($id: String!) { deleteSavedReply(input: { id: $id }) { id } }`, { id: theirs.id }],
      [`query ($id: String!, $b: String!) { renderTemplate(input: { businessId: $b, savedReplyId: $id }) { body } }`, { id: theirs.id, b: a.id }],
    ] as const) {
      const res = await gql(query, auth, variables);
      expect(res.json().errors[0].extensions.code, query).toBe('SAVED_REPLY_NOT_FOUND');
    }
    expect(await t.deps.prisma.savedReply.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: 'Theirs' });
    // A service key naming a business that does not exist.
    expect((await rest('GET', `/businesses/nope/saved-replies`, key(service))).json().code).toBe('BUSINESS_NOT_FOUND');
  });

  it('previews a reply for a client or a conversation: text, SMS segments and encoding, missing values', async () => {
    const reply = await create(a, {
      name: 'Reminder',
      shortcut: 'reminder',
      body: 'Hi {{client.first_name | "there"}} {{client.last_name}}, {{staff.first_name}} from {{location.name}} ({{location.phone | "no phone"}}) at {{business.name}}.',
    });
    const forClient = await rest('POST', `/businesses/${a.id}/saved-replies/${reply.id}/preview`, key(a.apiKey), { client_id: clientId, staff_id: staffId });
    expect(forClient.statusCode, forClient.body).toBe(200);
    expect(forClient.json()).toEqual({
      saved_reply_id: reply.id,
      channel: 'any',
      subject: null,
      body: 'Hi Rosa Mitchell, Maya from Downtown (+14155550100) at Business sr-a.',
      sms: { encoding: 'gsm7', segments: 1, units: 69 },
      missing: [],
      variables: ['client.first_name', 'client.last_name', 'staff.first_name', 'location.name', 'location.phone', 'business.name'],
    });
    // A client with no first name, at a location with no phone, no staff member: fallbacks, and empty values reported.
    const anon = await t.deps.prisma.client.create({ data: { businessId: a.id, phones: ['+14155550199'] } });
    const conversation = await t.deps.prisma.conversation.create({ data: { businessId: a.id, clientId: anon.id, locationId: uptown } });
    const gqlPreview = await gql(
      `query ($i: RenderTemplateInput!) { renderTemplate(input: $i) { savedReplyId body sms { encoding segments units } missing { variable field usedFallback } } }`,
      key(a.apiKey),
      { i: { businessId: a.id, savedReplyId: reply.id, conversationId: conversation.id } },
    );
    expect(gqlPreview.json().errors).toBeUndefined();
    expect(gqlPreview.json().data.renderTemplate).toEqual({
      savedReplyId: reply.id,
      body: 'Hi there ,  from Uptown (no phone) at Business sr-a.',
      sms: { encoding: 'gsm7', segments: 1, units: 52 },
      missing: [
        { variable: 'client.first_name', field: 'body', usedFallback: true },
        { variable: 'client.last_name', field: 'body', usedFallback: false },
        { variable: 'staff.first_name', field: 'body', usedFallback: false },
        { variable: 'location.phone', field: 'body', usedFallback: true },
      ],
    });
    // An inline body (GraphQL) with emoji: UCS-2; a session is its own staff member.
    const inline = await gql(
      `query ($i: RenderTemplateInput!) { renderTemplate(input: $i) { body sms { encoding segments } missing { variable } } }`,
      { authorization: `Bearer ${session}` },
      { i: { businessId: a.id, body: '{{staff.first_name}} says hi 👋 {{client.first_name}}', clientId } },
    );
    expect(inline.json().data.renderTemplate).toEqual({ body: 'Maya says hi 👋 Rosa', sms: { encoding: 'ucs2', segments: 1 }, missing: [] });
    const badInline = await gql(`query ($i: RenderTemplateInput!) { renderTemplate(input: $i) { body } }`, key(a.apiKey), { i: { businessId: a.id, body: 'x {{client.email}}' } });
    expect(badInline.json().errors[0]).toMatchObject({ extensions: { kind: 'validation' }, message: expect.stringContaining('client.email') });
  });
});
