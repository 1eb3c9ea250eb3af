// Auto-assignment: a location's new and reopened conversations go round-robin to its online staff
// under capacity, inside the inbound message's transaction; concurrent webhooks never overshoot a
// capacity. Inbound SMS arrive as Twilio sends them (signed webhooks).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookFixture, type WebhookFixture } from '../webhooks/fixture.js';

const DOWNTOWN = '+15005550006';
const QUIET = '+15005550007';
let phoneSeq = 0;
const nextPhone = () => `+1415555${String(2000 + phoneSeq++).padStart(4, '0')}`;

function inbound(from: string, to = DOWNTOWN, body = 'Hello?'): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: `AC${'a1'.repeat(16)}`, From: from, To: to, Body: body, NumMedia: '0', NumSegments: '1', ApiVersion: '2010-04-01' };
}

describe('auto-assignment', () => {
  let f: WebhookFixture;
  beforeAll(async () => {
    f = await startWebhookFixture();
  });
  afterAll(() => f.close());

  const patch = async (url: string, body: unknown, key = f.apiKey) => {
    const res = await f.app.inject({ method: 'PATCH', url, headers: { 'x-api-key': key, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { status: res.statusCode, json: res.json() };
  };
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = { 'x-api-key': f.apiKey }) =>
    (await f.app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers })).json();
  const receive = async (from: string, to = DOWNTOWN) => {
    const params = inbound(from, to);
    const res = await f.twilio('/twilio/sms/incoming', params);
    expect(res.status).toBe(200);
    const m = await f.deps.prisma.message.findUniqueOrThrow({ where: { provider_providerMessageId: { provider: 'twilio', providerMessageId: params['MessageSid']! } } });
    return f.deps.prisma.conversation.findUniqueOrThrow({ where: { id: m.conversationId } });
  };
  const setAuto = (locationId: string, body: object) => patch(`/businesses/spa/locations/${locationId}`, body);
  const availability = (staffId: string, value: 'online' | 'away', key = f.apiKey) => f.post(`/business-staffs/spa/staffs/${staffId}/availability`, { availability: value }, key);

  beforeEach(async () => {
    // Each test starts from an empty inbox of the spa: no conversations, every staff member online, auto-assignment off.
    await f.deps.pool.query(`DELETE FROM conversations WHERE business_id = 'spa'`);
    await f.deps.pool.query(`UPDATE staff SET availability = 'online', location_ids = CASE WHEN first_name = 'Cara' THEN location_ids ELSE ARRAY[$1::uuid] END WHERE business_id = 'spa'`, [
      f.loc.downtown,
    ]);
    await f.deps.pool.query(`UPDATE locations SET auto_assign = false, auto_assign_capacity = 10, auto_assign_last_staff_id = NULL WHERE business_id = 'spa'`);
  });

  it('is off by default: an inbound message leaves a new conversation unassigned', async () => {
    const conversation = await receive(nextPhone());
    expect(conversation.assigneeId).toBeNull();
    const location = await f.get('/businesses/spa/locations');
    expect(location.json.items.find((l: { id: string }) => l.id === f.loc.downtown)).toMatchObject({ auto_assign: false, auto_assign_capacity: 10 });
  });

  it("turned on over REST: new conversations go round-robin to the location's active, online staff, with an event each", async () => {
    const on = await setAuto(f.loc.downtown, { auto_assign: true, auto_assign_capacity: 5 });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ id: f.loc.downtown, auto_assign: true, auto_assign_capacity: 5 });
    const order = [f.staff.anna, f.staff.ben].sort();
    const assignees = [];
    for (let i = 0; i < 4; i++) assignees.push((await receive(nextPhone())).assigneeId);
    // Dan is inactive, Cara works uptown, Eve belongs to the salon: only Anna and Ben, in turn.
    expect(assignees).toEqual([order[0], order[1], order[0], order[1]]);
    const events = (
      await f.deps.pool.query(`SELECT payload FROM inbox_events WHERE business_id = 'spa' AND type = 'conversation.updated' AND payload->>'reason' = 'auto_assigned' ORDER BY id`)
    ).rows.map((r: { payload: { assigneeId: string } }) => r.payload.assigneeId);
    expect(events.slice(-4)).toEqual(assignees);
    // The report counts each opening for the staff member it was auto-assigned to (not as unassigned).
    const openings = await f.deps.pool.query<{ assignee_id: string | null }>(
      `SELECT o.assignee_id::text FROM report_openings o JOIN conversations c ON c.id = o.conversation_id WHERE c.business_id = 'spa' ORDER BY o.opened_at`,
    );
    expect(openings.rows.map((r) => r.assignee_id)).toEqual(assignees);
    const changed = (await f.deps.pool.query(`SELECT payload FROM inbox_events WHERE business_id = 'spa' AND type = 'location.updated' ORDER BY id DESC LIMIT 1`)).rows[0];
    expect(changed.payload).toMatchObject({ locationId: f.loc.downtown, autoAssign: true, autoAssignCapacity: 5 });
  });

  it('a later message in an open conversation does not assign it, and an assigned one keeps its assignee', async () => {
    const phone = nextPhone();
    const first = await receive(phone); // unassigned: auto-assignment is off
    await setAuto(f.loc.downtown, { auto_assign: true });
    expect((await receive(phone)).assigneeId).toBeNull();

    const other = nextPhone();
    const assigned = await receive(other);
    expect(assigned.assigneeId).not.toBeNull();
    await f.post(`/businesses/spa/conversations/${assigned.id}/status`, { status: 'archived' });
    expect((await receive(other)).assigneeId).toBe(assigned.assigneeId);
    expect(first.id).not.toBe(assigned.id);
  });

  it('an inbound message that reopens an archived (or snoozed) unassigned conversation assigns it', async () => {
    const phone = nextPhone();
    const conversation = await receive(phone);
    expect(conversation.assigneeId).toBeNull();
    await f.post(`/businesses/spa/conversations/${conversation.id}/status`, { status: 'archived' });
    await setAuto(f.loc.downtown, { auto_assign: true });
    const reopened = await receive(phone);
    expect(reopened).toMatchObject({ id: conversation.id, status: 'open' });
    expect([f.staff.anna, f.staff.ben]).toContain(reopened.assigneeId);

    const snoozedPhone = nextPhone();
    await setAuto(f.loc.downtown, { auto_assign: false });
    const snoozed = await receive(snoozedPhone);
    await f.post(`/businesses/spa/conversations/${snoozed.id}/status`, { status: 'snoozed' });
    await setAuto(f.loc.downtown, { auto_assign: true });
    expect((await receive(snoozedPhone)).assigneeId).not.toBeNull();
  });

  it('skips staff who are away or at capacity (open conversations at every location count); nobody available leaves it unassigned', async () => {
    await setAuto(f.loc.downtown, { auto_assign: true, auto_assign_capacity: 2 });
    expect((await availability(f.staff.ben, 'away')).json).toMatchObject({ id: f.staff.ben, availability: 'away' });
    const a = await receive(nextPhone());
    const b = await receive(nextPhone());
    expect([a.assigneeId, b.assigneeId]).toEqual([f.staff.anna, f.staff.anna]);
    expect((await receive(nextPhone())).assigneeId).toBeNull(); // Anna is full, Ben away

    // An archived conversation frees a place; a snoozed one does not count as open either.
    await f.post(`/businesses/spa/conversations/${a.id}/status`, { status: 'archived' });
    expect((await receive(nextPhone())).assigneeId).toBe(f.staff.anna);

    // Anna's open conversations elsewhere count too.
    await f.post(`/businesses/spa/conversations/${b.id}/status`, { status: 'archived' });
    await f.deps.pool.query(`UPDATE staff SET location_ids = ARRAY[$1::uuid, $2::uuid] WHERE id = $3`, [f.loc.downtown, f.loc.quiet, f.staff.anna]);
    const elsewhere = await receive(nextPhone(), QUIET); // Quiet Room does not auto-assign
    await f.post(`/businesses/spa/conversations/${elsewhere.id}/assign`, { staff_id: f.staff.anna });
    expect((await receive(nextPhone())).assigneeId).toBeNull();

    expect((await availability(f.staff.ben, 'online')).json.availability).toBe('online');
    expect((await receive(nextPhone())).assigneeId).toBe(f.staff.ben);
    const events = (await f.deps.pool.query(`SELECT payload FROM inbox_events WHERE business_id = 'spa' AND type = 'staff.updated' ORDER BY id DESC LIMIT 2`)).rows;
    expect(events.map((e: { payload: object }) => e.payload)).toEqual([
      { staffId: f.staff.ben, change: 'availability', availability: 'online', previousAvailability: 'away' },
      { staffId: f.staff.ben, change: 'availability', availability: 'away', previousAvailability: 'online' },
    ]);
  });

  it('parallel webhooks never overshoot a capacity, also across two locations sharing a staff member', async () => {
    await setAuto(f.loc.downtown, { auto_assign: true, auto_assign_capacity: 3 });
    await setAuto(f.loc.quiet, { auto_assign: true, auto_assign_capacity: 3 });
    await f.deps.pool.query(`UPDATE staff SET location_ids = ARRAY[$1::uuid, $2::uuid] WHERE id = $3`, [f.loc.downtown, f.loc.quiet, f.staff.anna]);
    // 6 places (Anna 3, Ben 3) and 16 new conversations at once, at both locations.
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => f.twilio('/twilio/sms/incoming', inbound(nextPhone(), i % 2 ? DOWNTOWN : QUIET))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const { rows } = await f.deps.pool.query<{ assignee_id: string | null; n: number }>(
      `SELECT assignee_id::text, count(*)::int AS n FROM conversations WHERE business_id = 'spa' GROUP BY 1 ORDER BY 1 NULLS LAST`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.assignee_id ?? 'none', r.n]));
    expect(by).toEqual({ [f.staff.anna]: 3, [f.staff.ben]: 3, none: 10 });
    const autoEvents = await f.deps.pool.query(
      `SELECT count(*)::int AS n FROM inbox_events WHERE business_id = 'spa' AND payload->>'reason' = 'auto_assigned' AND created_at > now() - interval '1 minute'`,
    );
    expect(autoEvents.rows[0].n).toBeGreaterThanOrEqual(6);
  });

  describe('settings and availability: GraphQL, sessions, validation, other businesses', () => {
    const SET_AVAILABILITY = 'mutation($input: SetStaffAvailabilityInput!) { setStaffAvailability(input: $input) { staffId availability availabilityChangedAt } }';
    const SET_AUTO = 'mutation($input: UpdateLocationAutoAssignmentInput!) { updateLocationAutoAssignment(input: $input) { locationId autoAssign autoAssignCapacity } }';

    it('GraphQL: a key sets a location and names a staff member; fields left out stay', async () => {
      const on = await gql(SET_AUTO, { input: { businessId: 'spa', locationId: f.loc.downtown, autoAssign: true, autoAssignCapacity: 7 } });
      expect(on.data.updateLocationAutoAssignment).toEqual({ locationId: f.loc.downtown, autoAssign: true, autoAssignCapacity: 7 });
      const capacityOnly = await gql(SET_AUTO, { input: { businessId: 'spa', locationId: f.loc.downtown, autoAssignCapacity: 4, autoAssign: null } });
      expect(capacityOnly.data.updateLocationAutoAssignment).toEqual({ locationId: f.loc.downtown, autoAssign: true, autoAssignCapacity: 4 });
      const away = await gql(SET_AVAILABILITY, { input: { businessId: 'spa', staffId: f.staff.cara, availability: 'away' } });
      expect(away.data.setStaffAvailability).toMatchObject({ staffId: f.staff.cara, availability: 'away', availabilityChangedAt: expect.any(String) });
    });

    it('a session sets its own availability, and not a colleague’s', async () => {
      const issued = await f.post('/auth/token', { business_id: 'spa', staff_id: f.staff.anna });
      const session = { authorization: `Bearer ${issued.json.access_token}` };
      const own = await gql(SET_AVAILABILITY, { input: { businessId: 'spa', availability: 'away' } }, session);
      expect(own.data.setStaffAvailability).toMatchObject({ staffId: f.staff.anna, availability: 'away' });
      const other = await gql(SET_AVAILABILITY, { input: { businessId: 'spa', staffId: f.staff.ben, availability: 'away' } }, session);
      expect(other.errors[0].extensions.code).toBe('STAFF_FORBIDDEN');
      const rest = await f.app.inject({ method: 'POST', url: `/business-staffs/spa/staffs/${f.staff.ben}/availability`, headers: session, payload: { availability: 'away' } });
      expect(rest.statusCode).toBe(403);
      expect((await f.deps.prisma.staff.findUniqueOrThrow({ where: { id: f.staff.ben } })).availability).toBe('online');
      // A key without a staff member names none: a clear 4xx.
      const none = await gql(SET_AVAILABILITY, { input: { businessId: 'spa', availability: 'away' } });
      expect(none.errors[0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED' }, message: expect.stringContaining('input.staffId') });
    });

    it('bad input is a 422 / VALIDATION_FAILED naming the field; nothing changes', async () => {
      for (const body of [{ auto_assign_capacity: 0 }, { auto_assign_capacity: 1001 }, { auto_assign: 'yes' }, { auto_assign_capacity: '5' }, { name: 'x' }]) {
        const res = await setAuto(f.loc.downtown, body);
        expect(res.status, JSON.stringify(body)).toBe(422);
      }
      expect((await setAuto(f.loc.downtown, {})).json).toEqual({ detail: [expect.objectContaining({ loc: ['body', 'auto_assign'], type: 'missing' })] });
      const bad = await gql(SET_AUTO, { input: { businessId: 'spa', locationId: f.loc.downtown, autoAssignCapacity: 0 } });
      expect(bad.errors[0]).toMatchObject({ extensions: { code: 'VALIDATION_FAILED' }, message: expect.stringContaining('input.autoAssignCapacity') });
      const badAvailability = await f.post(`/business-staffs/spa/staffs/${f.staff.ben}/availability`, { availability: 'busy' });
      expect(badAvailability.status).toBe(422);
      expect((await f.deps.prisma.location.findUniqueOrThrow({ where: { id: f.loc.downtown } })).autoAssignCapacity).toBe(10);
    });

    it("another business's location or staff member is not found, and stays unchanged", async () => {
      const salonLocation = await setAuto(f.loc.salonA, { auto_assign: true });
      expect(salonLocation.status).toBe(404);
      const viaSalonPath = await patch(`/businesses/salon/locations/${f.loc.downtown}`, { auto_assign: true }, f.salonKey);
      expect(viaSalonPath.status).toBe(404);
      const crossKey = await patch(`/businesses/spa/locations/${f.loc.downtown}`, { auto_assign: true }, f.salonKey);
      expect(crossKey.status).toBe(403);
      const staff = await f.post(`/business-staffs/spa/staffs/${f.staff.eve}/availability`, { availability: 'away' });
      expect(staff.status).toBe(404);
      const gqlOther = await gql(SET_AUTO, { input: { businessId: 'spa', locationId: f.loc.salonA, autoAssign: true } });
      expect(gqlOther.errors[0].extensions.code).toBe('LOCATION_NOT_FOUND');
      expect((await f.deps.prisma.location.findUniqueOrThrow({ where: { id: f.loc.salonA } })).autoAssign).toBe(false);
      expect((await f.deps.prisma.staff.findUniqueOrThrow({ where: { id: f.staff.eve } })).availability).toBe('online');
    });
  });
});
