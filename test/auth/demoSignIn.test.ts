// The embedded demo's one-click sign-in (issue 18): offered by GET /auth/sign-in-options and taken
// by POST /auth/demo-sign-in only when the app is built with it (src/main.ts: the embedded database
// on a loopback HOST and PUBLIC_BASE_URL, the rule of GraphiQL's demo key) and only to a request
// from this machine that names a loopback host and came through no proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID, seedDemoBusiness } from '../../src/domain/businesses/seedDemoBusiness.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const LOCAL = { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' };

describe('demo sign-in', () => {
  let demo: TestApp;
  let off: TestApp;
  let staff: { id: string; firstName: string; lastName: string | null; role: string | null }[];

  const options = (app: TestApp, headers: Record<string, string> = LOCAL, remoteAddress?: string) =>
    app.app.inject({ url: '/auth/sign-in-options', headers, ...(remoteAddress ? { remoteAddress } : {}) });
  const signIn = (app: TestApp, staffId: unknown, headers: Record<string, string> = LOCAL, remoteAddress?: string) =>
    app.app.inject({ method: 'POST', url: '/auth/demo-sign-in', headers, payload: { staff_id: staffId }, ...(remoteAddress ? { remoteAddress } : {}) });

  beforeAll(async () => {
    const publicBaseUrl = 'http://127.0.0.1:4000';
    [demo, off] = await Promise.all([
      startTestApp({ depsOptions: { publicBaseUrl }, appOptions: { publicBaseUrl, demoSignIn: true } }),
      startTestApp({ depsOptions: { publicBaseUrl }, appOptions: { publicBaseUrl } }),
    ]);
    await Promise.all([seedDemoBusiness(demo.deps), seedDemoBusiness(off.deps)]);
    staff = await demo.deps.prisma.staff.findMany({ where: { businessId: DEMO_BUSINESS_ID }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  });
  afterAll(async () => {
    await demo?.close();
    await off?.close();
  });

  it("lists the demo business's active staff to a request from this machine", async () => {
    await demo.deps.prisma.staff.update({ where: { id: staff[2]!.id }, data: { active: false } });
    try {
      const res = await options(demo);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        demo: {
          business_id: 'demo',
          business_name: expect.any(String),
          staff: staff.slice(0, 2).map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`, role: s.role })),
        },
      });
    } finally {
      await demo.deps.prisma.staff.update({ where: { id: staff[2]!.id }, data: { active: true } });
    }
  });

  it('offers nothing (demo: null) without the embedded demo, to another host or machine, or through a proxy', async () => {
    expect((await options(off)).json()).toEqual({ demo: null });
    for (const host of ['attacker.example:4000', '192.168.1.20:4000', 'evil@127.0.0.1:4000']) expect((await options(demo, { host })).json(), host).toEqual({ demo: null });
    for (const header of ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via']) {
      expect((await options(demo, { ...LOCAL, [header]: 'x' })).json(), header).toEqual({ demo: null });
    }
    expect((await options(demo, LOCAL, '192.168.1.30')).json()).toEqual({ demo: null });
  });

  it('signs in as a demo staff member: the same answer and cookie as a sign-in link, and the cookie works', async () => {
    const maya = staff[0]!;
    const res = await signIn(demo, maya.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ business_id: 'demo', staff_id: maya.id, staff_name: `${maya.firstName} ${maya.lastName}`, expires_at: expect.any(String) });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^omega_session=[^;]+; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0]!;
    const viewer = await demo.app.inject({ method: 'POST', url: '/graphql', headers: { ...LOCAL, cookie, 'x-graphql-yoga-csrf': '1' }, payload: { query: '{ viewer { kind businessId staffId } }' } });
    expect(viewer.json()).toEqual({ data: { viewer: { kind: 'session', businessId: 'demo', staffId: maya.id } } });
    const session = await demo.deps.prisma.session.findFirstOrThrow({ where: { staffId: maya.id }, orderBy: { createdAt: 'desc' } });
    expect(session).toMatchObject({ businessId: 'demo', apiKeyId: null, revokedAt: null });
  });

  it('is 404 when the demo does not apply, for staff not of the demo or not active, and refuses other origins', async () => {
    const maya = staff[0]!.id;
    for (const [app, headers, remote] of [
      [off, LOCAL, undefined],
      [demo, { host: 'attacker.example:4000' }, undefined],
      [demo, { ...LOCAL, 'x-forwarded-for': '203.0.113.9' }, undefined],
      [demo, LOCAL, '192.168.1.30'],
    ] as const) {
      const res = await signIn(app, maya, headers, remote);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('DEMO_SIGN_IN_UNAVAILABLE');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const stranger = (
      await demo.deps.prisma.business.create({ data: { id: 'not-demo', name: 'Not the demo', staff: { create: { firstName: 'Stranger' } } }, select: { staff: { select: { id: true } } } })
    ).staff[0]!.id;
    expect((await signIn(demo, stranger)).json().code).toBe('STAFF_NOT_FOUND');
    await demo.deps.prisma.staff.update({ where: { id: staff[1]!.id }, data: { active: false } });
    try {
      expect((await signIn(demo, staff[1]!.id)).statusCode).toBe(404);
    } finally {
      await demo.deps.prisma.staff.update({ where: { id: staff[1]!.id }, data: { active: true } });
    }
    expect((await signIn(demo, 'maya')).statusCode).toBe(422);
    const foreign = await signIn(demo, maya, { host: LOCAL.host, origin: 'http://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('CSRF_ORIGIN_FORBIDDEN');
  });
});
