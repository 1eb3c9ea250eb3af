import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/domain/auth/apiKeySecret.js';
import { runKeysCommand } from '../../scripts/keys.js';
import { createBusiness, createServiceKey, startTestApp, type TestApp } from '../helpers/testApp.js';
import { waitFor } from '../helpers/waitFor.js';

const KEY_FIELDS = 'apiKeyId name scope businessId prefix createdAt lastUsedAt expiresAt revokedAt active';

describe('API key management', () => {
  let t: TestApp;
  let service: string;
  let biz: { id: string; apiKey: string };
  const gql = (query: string, variables: Record<string, unknown> = {}, key = service) =>
    t.app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': key }, payload: { query, variables } });
  const locations = (key: string) => t.app.inject({ method: 'GET', url: '/businesses/keys-biz/locations', headers: { 'x-api-key': key } });

  beforeAll(async () => {
    t = await startTestApp();
    service = await createServiceKey(t.deps);
    biz = await createBusiness(t.deps, 'keys-biz');
  });
  afterAll(() => t.close());

  describe('through GraphQL (service keys only)', () => {
    let created: { key: string; apiKey: { apiKeyId: string; prefix: string } };

    it('creates a business key whose secret is shown once and stored only as a hash', async () => {
      const res = await gql(`mutation { createApiKey(input: { name: "booking sync", businessId: "keys-biz" }) { key apiKey { ${KEY_FIELDS} } } }`);
      created = res.json().data.createApiKey;
      expect(created.key).toMatch(/^omega_bk_/);
      expect(created.apiKey).toMatchObject({ name: 'booking sync', scope: 'business', businessId: 'keys-biz', active: true, lastUsedAt: null, revokedAt: null });
      expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
      const row = await t.deps.prisma.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.apiKeyId } });
      expect(row.keyHash).toBe(hashApiKey(created.key));
      expect((await locations(created.key)).statusCode).toBe(200);
    });

    it('lists prefixes and last use, never a secret or hash', async () => {
      // last_used_at is written in the background after a request: wait for it.
      await waitFor('last_used_at', async () => (await t.deps.prisma.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.apiKeyId } })).lastUsedAt);
      const res = await gql(`{ apiKeys(businessId: "keys-biz") { edges { node { ${KEY_FIELDS} } } } }`);
      const nodes = res.json().data.apiKeys.edges.map((e: { node: unknown }) => e.node);
      expect(nodes.length).toBe(2);
      const text = res.body;
      for (const row of await t.deps.prisma.apiKey.findMany()) expect(text).not.toContain(row.keyHash);
      expect(text).not.toContain(created.key);
      const used = nodes.find((n: { apiKeyId: string }) => n.apiKeyId === created.apiKey.apiKeyId);
      expect(used.lastUsedAt).not.toBeNull();
      // The schema has no field that could reveal a hash.
      expect((await gql('{ apiKeys { edges { node { keyHash } } } }')).json().errors[0].message).toMatch(/Cannot query field "keyHash"/);
    });

    it('rotates: a new secret works, the old one is revoked at once', async () => {
      const res = await gql('mutation ($id: String!) { rotateApiKey(input: { id: $id }) { key apiKey { apiKeyId name businessId } revokedApiKey { apiKeyId revokedAt active } } }', {
        id: created.apiKey.apiKeyId,
      });
      const rotated = res.json().data.rotateApiKey;
      expect(rotated.apiKey).toMatchObject({ name: 'booking sync', businessId: 'keys-biz' });
      expect(rotated.revokedApiKey).toMatchObject({ apiKeyId: created.apiKey.apiKeyId, active: false });
      expect((await locations(created.key)).statusCode).toBe(401);
      expect((await locations(rotated.key)).statusCode).toBe(200);
      const again = await gql('mutation ($id: String!) { rotateApiKey(input: { id: $id }) { key } }', { id: created.apiKey.apiKeyId });
      expect(again.json().errors[0].extensions.code).toBe('API_KEY_INACTIVE');
      created = { key: rotated.key, apiKey: { apiKeyId: rotated.apiKey.apiKeyId, prefix: '' } };
    });

    it('revokes a key and the session tokens minted with it', async () => {
      const staff = await t.deps.prisma.staff.create({ data: { businessId: 'keys-biz', firstName: 'S' } });
      const tok = (await t.app.inject({ method: 'POST', url: '/auth/token', headers: { 'x-api-key': created.key }, payload: { business_id: 'keys-biz', staff_id: staff.id } })).json().access_token;
      const bearer = { authorization: `Bearer ${tok}` };
      expect((await t.app.inject({ method: 'GET', url: '/businesses/keys-biz/locations', headers: bearer })).statusCode).toBe(200);
      const res = await gql('mutation ($id: String!) { revokeApiKey(input: { id: $id }) { active revokedAt } }', { id: created.apiKey.apiKeyId });
      expect(res.json().data.revokeApiKey.active).toBe(false);
      expect((await locations(created.key)).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/businesses/keys-biz/locations', headers: bearer })).statusCode).toBe(401);
      const inactive = await gql('{ apiKeys(businessId: "keys-biz", includeInactive: true) { edges { node { active } } } }');
      expect(inactive.json().data.apiKeys.edges).toHaveLength(3);
    });

    it('refuses every key operation to a business key or a session', async () => {
      for (const op of [
        '{ apiKeys { edges { node { prefix } } } }',
        'mutation { createApiKey(input: { name: "x" }) { key } }',
        `mutation { revokeApiKey(input: { id: "${created.apiKey.apiKeyId}" }) { active } }`,
        `mutation { rotateApiKey(input: { id: "${created.apiKey.apiKeyId}" }) { key } }`,
      ]) {
        const res = await gql(op, {}, biz.apiKey);
        expect(res.json().errors[0].extensions.code, op).toBe('FORBIDDEN');
      }
      expect(await t.deps.prisma.apiKey.count({ where: { name: 'x' } })).toBe(0);
    });

    it('validates input', async () => {
      expect((await gql('mutation { createApiKey(input: { name: " " }) { key } }')).json().errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect((await gql('mutation { createApiKey(input: { name: "old", expiresAt: "2001-01-01T00:00:00Z" }) { key } }')).json().errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect((await gql('mutation { createApiKey(input: { name: "n", businessId: "nope" }) { key } }')).json().errors[0].extensions.code).toBe('BUSINESS_NOT_FOUND');
      expect((await gql('mutation { revokeApiKey(input: { id: "nope" }) { active } }')).json().errors[0].extensions.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('npm run keys', () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runKeysCommand(
        t.deps,
        argv,
        (l) => out.push(l),
        (l) => err.push(l),
      );
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('creates, lists, rotates and revokes with the same rules', async () => {
      const created = await run('create', '--name', 'cli key', '--business', 'keys-biz');
      expect(created.code).toBe(0);
      const key = /key \(shown once, store it now\): (\S+)/.exec(created.out)![1]!;
      expect((await locations(key)).statusCode).toBe(200);
      const id = /business key for "keys-biz" (\S+)/.exec(created.out)![1]!;

      const list = await run('list', '--business', 'keys-biz');
      expect(list.out.split('\n')[0]).toMatch(/^id\s+scope\s+business\s+name\s+prefix\s+created\s+last used\s+expires\s+status$/);
      expect(list.out).toContain(id);
      expect(list.out).toContain(`${key.slice(0, 16)}…`);
      expect(list.out).not.toContain(key);

      const rotated = await run('rotate', key.slice(0, 16));
      expect(rotated.code).toBe(0);
      const newKey = /key \(shown once, store it now\): (\S+)/.exec(rotated.out)![1]!;
      expect((await locations(key)).statusCode).toBe(401);
      expect((await locations(newKey)).statusCode).toBe(200);

      const revoked = await run('revoke', newKey.slice(0, 16));
      expect(revoked.code).toBe(0);
      expect(revoked.out).toMatch(/^revoked /);
      expect((await locations(newKey)).statusCode).toBe(401);
      expect((await run('list', '--all')).out).toMatch(/cli key.*revoked/);
    });

    it('explains bad usage and unknown keys', async () => {
      expect(await run('create')).toMatchObject({ code: 2, err: expect.stringContaining('usage:') });
      expect(await run('frobnicate')).toMatchObject({ code: 2 });
      expect(await run('revoke', 'omega_bk_nothing')).toMatchObject({ code: 1, err: expect.stringContaining('No key') });
      expect(await run('create', '--name', 'x', '--expires', 'tomorrow')).toMatchObject({ code: 2, err: expect.stringContaining('ISO 8601') });
    });

    it('runs as a command against DATABASE_URL', async () => {
      const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/keys.ts', 'create', '--name', 'from the shell'], {
        env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'silent' },
        timeout: 60_000,
      });
      const key = /key \(shown once, store it now\): (\S+)/.exec(stdout)![1]!;
      expect(key).toMatch(/^omega_sk_/);
      expect((await locations(key)).statusCode).toBe(200);
    }, 60_000);
  });

  it('keeps the existing service key working throughout', async () => {
    expect((await locations(service)).statusCode).toBe(200);
  });
});
