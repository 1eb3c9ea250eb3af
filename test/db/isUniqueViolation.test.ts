// The unique-violation test sees through each way a duplicate key reaches us: Prisma's own queries
// (P2002), Prisma raw queries such as appendMessage's (P2010 with the driver's code), and pg.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/isUniqueViolation.js';
import { createBusiness, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('isUniqueViolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createBusiness(t.deps, 'uv');
  });
  afterAll(async () => {
    await t.close();
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => err,
    );

  it('recognises a duplicate key from Prisma, Prisma raw SQL and pg, and nothing else', async () => {
    const prismaErr = await failure(t.deps.prisma.business.create({ data: { id: 'uv', name: 'again' } }));
    const rawErr = await failure(t.deps.prisma.$queryRaw`INSERT INTO businesses (id, name, updated_at) VALUES ('uv', 'again', now())`);
    const pgErr = await failure(t.deps.pool.query(`INSERT INTO businesses (id, name, updated_at) VALUES ('uv', 'again', now())`));
    expect([prismaErr, rawErr, pgErr].map(isUniqueViolation)).toEqual([true, true, true]);
    const other = await failure(t.deps.pool.query(`SELECT 'x'::uuid`));
    expect(isUniqueViolation(other)).toBe(false);
    expect(isUniqueViolation(new Error('duplicate'))).toBe(false);
  });
});
