import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCampaign } from '../../src/domain/campaigns/dispatchCampaign.js';
import { startCampaignFixture, type CampaignFixture } from './fixture.js';

// The audience is materialised once at the start and queued in idempotent chunks: filters, quiet
// hours per recipient, a dispatch run twice at once or again after a crash (no client messaged
// twice, counted at the fake), and clients who opt out mid-campaign.
describe('campaign audience and dispatch', () => {
  let f: CampaignFixture;

  beforeAll(async () => {
    f = await startCampaignFixture();
  });
  afterAll(async () => f?.close());

  async function start(audience: unknown, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, { name: `C${f.n++}`, channel: 'sms', body: 'Hello', audience, ...extra });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const started = await f.rest('POST', `/businesses/${f.businessId}/campaigns/${created.json.id}/start`, {});
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    return created.json.id;
  }
  const recipientsOf = async (id: string) =>
    (await f.deps.prisma.campaignRecipient.findMany({ where: { campaignId: id }, orderBy: { clientId: 'asc' } })).map((r) => ({
      clientId: r.clientId,
      state: r.state,
      reason: r.reason,
      messageId: r.messageId,
    }));
  const clientsOf = async (id: string) => (await recipientsOf(id)).map((r) => r.clientId).sort();
  const cancel = (id: string) => f.rest('POST', `/businesses/${f.businessId}/campaigns/${id}/cancel`);

  it('materialises each filter (types, groups, labels, home location, last contact, opted in only) and the explicit list, once', async () => {
    const prisma = f.deps.prisma;
    const vip = await f.addClient({ type: 'vip', groups: ['color'], home: 'A' });
    const vipOut = await f.addClient({ type: 'vip', groups: ['color'], home: 'B', smsOptOut: true });
    const regular = await f.addClient({ type: 'regular', groups: ['cut'], home: 'B' });
    const merged = await f.addClient({ type: 'vip', groups: ['color'], home: 'A' });
    await prisma.client.update({ where: { id: merged }, data: { mergedIntoId: vip, mergedAt: new Date() } });
    const label = await prisma.label.create({ data: { businessId: f.businessId, name: 'Lapsed', color: '#112233' } });
    const conv = await prisma.conversation.create({ data: { businessId: f.businessId, clientId: regular, locationId: f.locationB } });
    await prisma.conversationLabel.create({ data: { businessId: f.businessId, conversationId: conv.id, labelId: label.id } });
    await f.deps.pool.query(`UPDATE conversations SET last_message_at = '2026-01-10T00:00:00Z' WHERE id = $1`, [conv.id]);
    const conv2 = await prisma.conversation.create({ data: { businessId: f.businessId, clientId: vip, locationId: f.locationA } });
    await f.deps.pool.query(`UPDATE conversations SET last_message_at = '2026-06-10T00:00:00Z' WHERE id = $1`, [conv2.id]);
    // Only this test's clients: an explicit type/group no other test uses would be simpler, so each audience is intersected with ours.
    const ours = new Set([vip, vipOut, regular, merged]);
    const audience = async (filters: Record<string, unknown>) => {
      const id = await start({ filters });
      const got = (await clientsOf(id)).filter((c) => ours.has(c));
      await cancel(id);
      return got;
    };
    expect(await audience({ client_types: ['vip'] })).toEqual([vip, vipOut].sort());
    expect(await audience({ client_types: ['vip'], opted_in_only: true })).toEqual([vip]);
    expect(await audience({ groups: ['cut'] })).toEqual([regular]);
    expect(await audience({ label_ids: [label.id] })).toEqual([regular]);
    expect(await audience({ home_location_ids: [f.locationB] })).toEqual([vipOut, regular].sort());
    expect(await audience({ last_contact_before: '2026-03-01T00:00:00Z' })).toEqual([regular]);
    expect(await audience({ last_contact_after: '2026-03-01T00:00:00Z' })).toEqual([vip]);
    expect(await audience({ client_types: ['vip'], groups: ['color'], home_location_ids: [f.locationA] })).toEqual([vip]);
    // Explicit list: only the business's clients (an unknown id is nobody), each once.
    const id = await start({ client_ids: [vip, regular, regular, '0191d3a0-0000-7000-8000-000000000000'] });
    expect(await clientsOf(id)).toEqual([vip, regular].sort());
    await cancel(id);
  });

  it('renders quiet hours per recipient: the New York location waits for their end, the Paris one goes now', async () => {
    // A window around New York's current hour that Paris (5 or 6 hours later) is outside of.
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    await f.deps.prisma.business.update({ where: { id: f.businessId }, data: { settings: { quietHours: { start: hh(hour), end: hh(hour + 2) } } } });
    try {
      const ny = await f.addClient({ home: 'A' });
      const paris = await f.addClient({ home: 'B' });
      const id = await start({ client_ids: [ny, paris] });
      await dispatchCampaign(f.deps, { businessId: f.businessId, campaignId: id });
      const messages = await f.deps.prisma.message.findMany({ where: { campaignId: id } });
      const byClient = new Map(messages.map((m) => [m.clientId, m]));
      expect(byClient.get(ny)!.status).toBe('scheduled');
      expect(byClient.get(ny)!.scheduledAt!.getTime()).toBeGreaterThan(Date.now());
      expect(byClient.get(paris)!.status).toBe('queued');
      await cancel(id);
      expect((await f.deps.prisma.message.findMany({ where: { campaignId: id } })).map((m) => m.status)).toEqual(['canceled', 'canceled']);
    } finally {
      await f.deps.prisma.business.update({ where: { id: f.businessId }, data: { settings: {} } });
    }
  });

  it('never messages a client twice: two dispatchers at once, then a dispatcher that crashed after its chunk committed', async () => {
    f.fake.reset();
    const clients = [];
    for (let i = 0; i < 7; i++) clients.push(await f.addClient({}));
    const id = await start({ client_ids: clients });
    const [one, two] = await Promise.all([
      dispatchCampaign(f.deps, { businessId: f.businessId, campaignId: id, chunkSize: 2 }),
      dispatchCampaign(f.deps, { businessId: f.businessId, campaignId: id, chunkSize: 3 }),
    ]);
    expect(one.queued + two.queued).toBe(7);
    expect(await f.deps.prisma.message.count({ where: { campaignId: id } })).toBe(7);
    const before = await recipientsOf(id);
    expect(before.every((r) => r.state === 'queued' && r.messageId)).toBe(true);

    // A crash between a chunk's commit (its messages exist) and marking its recipients: they are
    // pending again for the next dispatcher, which finds their messages and makes none.
    await f.deps.pool.query(`UPDATE campaign_recipients SET state = 'pending', message_id = NULL WHERE campaign_id = $1 AND client_id = ANY($2::uuid[])`, [id, clients.slice(0, 4)]);
    const rerun = await dispatchCampaign(f.deps, { businessId: f.businessId, campaignId: id, chunkSize: 2 });
    expect(rerun.queued).toBe(0);
    expect(await recipientsOf(id)).toEqual(before);
    expect(await f.deps.prisma.message.count({ where: { campaignId: id } })).toBe(7);

    expect(await f.drain(id)).toBe('completed');
    expect(f.fake.stats()).toEqual({ creates: 7, sentMessages: 7, duplicates: 0 });
    expect(new Set(f.creates().map((c) => c.to)).size).toBe(7);
  });

  it('skips clients who opt out mid-campaign: before their message is made (skipped) and after (refused at send)', async () => {
    f.fake.reset();
    const clients = [];
    for (let i = 0; i < 5; i++) clients.push(await f.addClient({}));
    const noPhone = await f.addClient({ phone: null });
    const id = await start({ client_ids: [...clients, noPhone] });
    // Opted out after the start, before the dispatch.
    await f.deps.prisma.client.update({ where: { id: clients[0]! }, data: { smsOptOut: true } });
    await dispatchCampaign(f.deps, { businessId: f.businessId, campaignId: id });
    // Opted out after its message was queued, before it was sent.
    await f.deps.prisma.client.update({ where: { id: clients[1]! }, data: { smsOptOut: true } });
    expect(await f.drain(id)).toBe('completed');

    const recipients = new Map((await recipientsOf(id)).map((r) => [r.clientId, r]));
    expect(recipients.get(clients[0]!)).toMatchObject({ state: 'skipped', reason: 'opted_out', messageId: null });
    expect(recipients.get(noPhone)).toMatchObject({ state: 'skipped', reason: 'no_address' });
    const refused = await f.deps.prisma.message.findUniqueOrThrow({ where: { id: recipients.get(clients[1]!)!.messageId! } });
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'CLIENT_OPTED_OUT' });
    expect(f.fake.stats()).toMatchObject({ creates: 3, duplicates: 0 });
    const res = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`);
    expect(res.json.progress).toMatchObject({ recipients: 6, sent: 3, failed: 1, opted_out: 2, skipped: 2, pending: 0 });
  });

  it('sends an email campaign (subject and html) to each client with an address, skipping those without', async () => {
    const a = await f.addClient({ firstName: 'Ana', email: 'ana@example.com' });
    const b = await f.addClient({ firstName: 'Bo', email: 'bo@example.com' });
    const none = await f.addClient({ firstName: 'Cy' });
    const created = await f.rest('POST', `/businesses/${f.businessId}/campaigns`, {
      name: 'Newsletter',
      channel: 'email',
      subject: 'Spring news',
      html: '<p>Hello</p>',
      body: 'Hello',
      audience: { client_ids: [a, b, none] },
      location_id: f.locationA,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await f.rest('POST', `/businesses/${f.businessId}/campaigns/${created.json.id}/start`, {});
    expect(await f.drain(created.json.id)).toBe('completed');
    const messages = await f.deps.prisma.message.findMany({ where: { campaignId: created.json.id }, orderBy: { toAddress: 'asc' } });
    // The sandbox email provider accepts, then reports delivery.
    expect(messages.map((m) => [m.channel, m.toAddress, m.subject, m.sentAt !== null])).toEqual([
      ['email', 'ana@example.com', 'Spring news', true],
      ['email', 'bo@example.com', 'Spring news', true],
    ]);
    expect((await recipientsOf(created.json.id)).find((r) => r.clientId === none)).toMatchObject({ state: 'skipped', reason: 'no_address' });
  });

  it('sends to an address once when two clients share it (the second is skipped: duplicate_address)', async () => {
    f.fake.reset();
    const a = await f.addClient({ phone: '+14155559900' });
    const b = await f.addClient({ phone: '+14155559900' });
    const c = await f.addClient({ phone: '+14155559901' });
    const id = await start({ client_ids: [a, b, c] });
    expect(await f.drain(id)).toBe('completed');
    const states = (await recipientsOf(id)).map((r) => r.state + (r.reason ? `:${r.reason}` : '')).sort();
    expect(states).toEqual(['queued', 'queued', 'skipped:duplicate_address']);
    expect(f.fake.stats()).toMatchObject({ creates: 2, duplicates: 0 });
  });

  it('counts replies: a recipient who wrote back after the campaign message was sent', async () => {
    const a = await f.addClient({});
    const b = await f.addClient({});
    const id = await start({ client_ids: [a, b] });
    expect(await f.drain(id)).toBe('completed');
    const message = await f.deps.prisma.message.findFirstOrThrow({ where: { campaignId: id, clientId: a } });
    const inbound = await f.post('/sms/record', { business_id: f.businessId, direction: 'inbound', from: message.toAddress, to: message.fromAddress, body: 'Yes please!' });
    expect(inbound.status, JSON.stringify(inbound.json)).toBe(201);
    const res = await f.rest('GET', `/businesses/${f.businessId}/campaigns/${id}`);
    expect(res.json.progress).toMatchObject({ sent: 2, replied: 1 });
  });
});
