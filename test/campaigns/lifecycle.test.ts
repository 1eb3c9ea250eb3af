import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../helpers/testApp.js';
import { startCampaignFixture, type CampaignFixture } from './fixture.js';

// A campaign's life over REST and GraphQL: draft, edit, start, sent to its audience through the
// fake Twilio (a saved reply rendered per recipient), completed, with its counts and events; the
// transitions its status does not allow (409 with stable codes); another business's ids (404);
// unknown fields (422).
describe('campaigns over REST and GraphQL', () => {
  let f: CampaignFixture;
  let other: { id: string; apiKey: string };

  beforeAll(async () => {
    f = await startCampaignFixture();
    other = await createBusiness(f.deps, 'other-salon');
  });
  afterAll(async () => f?.close());

  it('REST: draft, update, start, sent (template rendered per recipient), completed with counts and events', async () => {
    const rosa = await f.addClient({ firstName: 'Rosa', groups: ['color'], home: 'A' });
    const maya = await f.addClient({ firstName: 'Maya', groups: ['color', 'cut'], home: 'B' });
    await f.addClient({ firstName: 'Noor', groups: ['cut'], home: 'A' });
    const reply = await f.rest('POST', `/businesses/${f.businessId}/saved-replies`, {
      name: 'Promo',
      shortcut: 'promo',
      channel: 'sms',
      body: 'Hi {{client.first_name}}, 20% off color at {{location.name}}',
    });
    expect(reply.status).toBe(201);

    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'Spring', channel: 'sms', audience: { filters: { groups: ['color'] } }, template_id: reply.json.id });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      status: 'draft',
      channel: 'sms',
      audience: { filters: { groups: ['color'], opted_in_only: false } },
      template_id: reply.json.id,
      progress: { recipients: 0 },
    });
    const id: string = created.json.id;

    const patched = await f.rest('PATCH', `/businesses/${f.businessId}/campaigns/${id}`, { name: 'Spring color' });
    expect(patched.status).toBe(200);
    expect(patched.json.name).toBe('Spring color');

    const list = await f.rest('GET', `/businesses/${f.businessId}/campaigns?status=draft`);
    expect(list.json).toMatchObject({ total: 1, items: [{ id, status: 'draft' }] });

    const started = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/start`, {});
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ status: 'sending', audience_size: 2, progress: { recipients: 2, pending: 2 } });
    expect((await f.rest('PATCH', `/businesses/${f.businessId}/campaigns/${id}`, { name: 'x' })).json.code).toBe('CAMPAIGN_NOT_EDITABLE');
    expect((await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/start`, {})).status).toBe(409);

    expect(await f.drain(id)).toBe('completed');
    const bodies = f
      .creates()
      .map((c) => c.body)
      .sort();
    expect(bodies).toEqual(['Hi Maya, 20% off color at Uptown', 'Hi Rosa, 20% off color at Downtown']);

    const done = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`);
    expect(done.json).toMatchObject({ status: 'completed', progress: { recipients: 2, pending: 0, queued: 0, sending: 0, sent: 2, failed: 0, skipped: 0 } });
    expect(done.json.completed_at).not.toBeNull();

    // Each message is a normal message of its recipient's conversation, marked with the campaign.
    const messages = await f.deps.prisma.message.findMany({ where: { campaignId: id } });
    expect(messages.map((m) => m.clientId).sort()).toEqual([rosa, maya].sort());
    expect(messages.every((m) => m.requestId === `campaign:${id}` && m.status === 'sent')).toBe(true);

    const recipients = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}/recipients?page_size=1`);
    expect(recipients.json).toMatchObject({ total: 2, page_size: 1, items: [{ state: 'queued', message_status: 'sent' }] });
    const next = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}/recipients?page_size=1&cursor=${recipients.json.next_cursor}`);
    expect(next.json.items).toHaveLength(1);
    expect(next.json.items[0].client_id).not.toBe(recipients.json.items[0].client_id);

    // Events: campaign.updated for draft -> sending and sending -> completed (with counts), and progress.
    const feed = await f.rest('GET', `/businesses/${f.businessId}/events?types=campaign.updated&types=campaign.progress&limit=50`);
    const mine = feed.json.items.filter((e: any) => e.data.changes.campaign_id === id);
    const updates = mine.filter((e: any) => e.type === 'campaign.updated').map((e: any) => [e.data.changes.previous_status, e.data.changes.status]);
    expect(updates).toEqual([
      ['draft', 'sending'],
      ['sending', 'completed'],
    ]);
    expect(mine.at(-1).data.changes.counts).toMatchObject({ recipients: 2, sent: 2, pending: 0 });
    expect(mine.some((e: any) => e.type === 'campaign.progress')).toBe(true);

    // Transitions a completed campaign does not allow.
    for (const [action, code] of [
      ['pause', 'CAMPAIGN_NOT_SENDING'],
      ['resume', 'CAMPAIGN_NOT_PAUSED'],
      ['cancel', 'CAMPAIGN_NOT_CANCELABLE'],
    ] as const) {
      const res = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/${action}`);
      expect([res.status, res.json.code]).toEqual([409, code]);
    }
    const del = await f.rest('DELETE', `/businesses/${f.businessId}/campaigns/${id}`);
    expect([del.status, del.json.code]).toEqual([409, 'CAMPAIGN_NOT_DRAFT']);
  });

  it('REST: a draft is deleted; another business sees none of it (404); unknown fields and bad audiences are 422', async () => {
    const client = await f.addClient({});
    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'Draft', channel: 'sms', body: 'Hello', audience: { client_ids: [client] } });
    expect(created.status).toBe(201);
    const id = created.json.id;
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/start'],
      ['POST', '/pause'],
      ['POST', '/resume'],
      ['POST', '/cancel'],
      ['GET', '/recipients'],
    ] as const) {
      const res = await f.rest(method, `/businesses/${other.id}/campaigns/${id}${path}`, method === 'PATCH' ? { name: 'x' } : undefined, other.apiKey);
      expect([method, path, res.status, res.json.code]).toEqual([method, path, 404, 'CAMPAIGN_NOT_FOUND']);
    }
    expect((await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`, undefined, other.apiKey)).status).toBe(403);

    const strict = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'X', channel: 'sms', body: 'Hi', audience: { client_ids: [client] }, surprise: 1 });
    expect(strict.status).toBe(422);
    const both = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'X', channel: 'sms', body: 'Hi', audience: { client_ids: [client], filters: {} } });
    expect(both.status).toBe(422);
    const empty = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'X', channel: 'sms', audience: { filters: {} } });
    expect(empty.status).toBe(422);
    const badFilter = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'X', channel: 'sms', body: 'Hi', audience: { filters: { label_ids: ['nope'] } } });
    expect(badFilter.status).toBe(422);
    const otherTemplate = await f.rest('POST', `/businesses/${other.id}/saved-replies`, { name: 'T', shortcut: 't', channel: 'sms', body: 'Hi' }, other.apiKey);
    const foreign = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'X', channel: 'sms', audience: { filters: {} }, template_id: otherTemplate.json.id });
    expect([foreign.status, foreign.json.code]).toEqual([404, 'SAVED_REPLY_NOT_FOUND']);

    expect((await f.rest('DELETE', `/businesses/${f.businessId}/campaigns/${id}`)).status).toBe(204);
    expect((await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`)).status).toBe(404);
  });

  it('REST: start at a later send_at schedules it (campaign_start job at that time), which then sends; cancel of a scheduled one removes the job', async () => {
    const a = await f.addClient({});
    const sendAt = new Date(Date.now() + 3600_000);
    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'Later', channel: 'sms', body: 'Soon', audience: { client_ids: [a] } });
    const started = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${created.json.id}/start`, { send_at: sendAt.toISOString() });
    expect(started.json).toMatchObject({ status: 'scheduled', send_at: sendAt.toISOString(), audience_size: null });
    const jobs = (await f.jobs()).filter((j) => j.key === `campaign_start:${created.json.id}`);
    expect(jobs.map((j) => j.run_at.getTime())).toEqual([sendAt.getTime()]);
    await f.runJobs();
    expect(await f.campaignStatus(created.json.id)).toBe('scheduled');
    // Still editable while scheduled.
    expect((await f.rest('PATCH', `/businesses/${f.businessId}/campaigns/${created.json.id}`, { body: 'Soon!' })).status).toBe(200);
    await f.makeJobsDue();
    expect(await f.drain(created.json.id)).toBe('completed');
    expect(f.creates().some((c) => c.body === 'Soon!')).toBe(true);

    const other = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: 'Never', channel: 'sms', body: 'Never', audience: { client_ids: [a] }, send_at: sendAt.toISOString() });
    expect((await f.rest('POST', `/businesses/${f.businessId}/campaigns/${other.json.id}/start`)).json.status).toBe('scheduled');
    expect((await f.rest('POST', `/businesses/${f.businessId}/campaigns/${other.json.id}/cancel`)).json.status).toBe('canceled');
    expect((await f.jobs()).filter((j) => j.key === `campaign_start:${other.json.id}`)).toEqual([]);
  });

  it('GraphQL: create, start, pause, resume, progress and recipients, completed; cancel of a completed one is refused', async () => {
    const a = await f.addClient({ type: 'vip' });
    const b = await f.addClient({ type: 'vip' });
    const created = await f.gql(`mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id status channel audienceClientIds } }`, {
      input: { businessId: f.businessId, name: 'GQL', channel: 'sms', body: 'Hello from GraphQL', audience: { clientIds: [a, b] } },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data.createCampaign.id;
    expect(created.data.createCampaign).toMatchObject({ status: 'draft', channel: 'sms' });

    const started = await f.gql(`mutation ($input: StartCampaignInput!) { startCampaign(input: $input) { status audienceSize } }`, { input: { businessId: f.businessId, id } });
    expect(started.data.startCampaign).toEqual({ status: 'sending', audienceSize: 2 });
    const paused = await f.gql(`mutation ($input: CampaignIdInput!) { pauseCampaign(input: $input) { status pausedAt } }`, { input: { businessId: f.businessId, id } });
    expect(paused.data.pauseCampaign.status).toBe('paused');
    // Paused: the dispatcher queues nothing.
    await f.runJobs();
    expect(await f.deps.prisma.message.count({ where: { campaignId: id } })).toBe(0);
    const again = await f.gql(`mutation ($input: CampaignIdInput!) { pauseCampaign(input: $input) { status } }`, { input: { businessId: f.businessId, id } });
    expect(again.errors[0].extensions.code).toBe('CAMPAIGN_NOT_SENDING');
    const resumed = await f.gql(`mutation ($input: CampaignIdInput!) { resumeCampaign(input: $input) { status } }`, { input: { businessId: f.businessId, id } });
    expect(resumed.data.resumeCampaign.status).toBe('sending');
    expect(await f.drain(id)).toBe('completed');

    const read = await f.gql(
      `query ($b: String!, $id: String!) { campaign(businessId: $b, id: $id) { status progress { recipients pending sent failed } recipients(first: 1) { edges { node { clientId state messageStatus } } pageInfo { hasNextPage endCursor } } } }`,
      { b: f.businessId, id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data.campaign).toMatchObject({ status: 'completed', progress: { recipients: 2, pending: 0, sent: 2, failed: 0 } });
    expect(read.data.campaign.recipients.edges[0].node).toMatchObject({ state: 'queued', messageStatus: 'sent' });
    expect(read.data.campaign.recipients.pageInfo.hasNextPage).toBe(true);

    const list = await f.gql(`query ($b: String!) { campaigns(businessId: $b, statuses: [completed], first: 10) { edges { node { id } } } }`, { b: f.businessId });
    expect(list.data.campaigns.edges.map((e: any) => e.node.id)).toContain(id);

    const cancel = await f.gql(`mutation ($input: CampaignIdInput!) { cancelCampaign(input: $input) { status } }`, { input: { businessId: f.businessId, id } });
    expect(cancel.errors[0].extensions.code).toBe('CAMPAIGN_NOT_CANCELABLE');
    // Another business's key: its own business, this campaign's id: not found.
    const foreign = await f.gql(`query ($b: String!, $id: String!) { campaign(businessId: $b, id: $id) { id } }`, { b: other.id, id }, other.apiKey);
    expect(foreign.errors[0].extensions.code).toBe('CAMPAIGN_NOT_FOUND');
  });
});
