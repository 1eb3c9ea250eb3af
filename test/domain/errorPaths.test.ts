import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/domain/deps.js';
import { ValidationError } from '../../src/domain/errors.js';
import { validateOnboardingInput } from '../../src/domain/onboarding/validateOnboardingInput.js';
import { openConversation } from '../../src/domain/conversations/openConversation.js';
import { reportDeliveryStatus } from '../../src/domain/sending/reportDeliveryStatus.js';
import { queueSms } from '../../src/domain/sending/queueSms.js';

// Each of these fails its checks before it touches anything, so no database is needed.
const deps = { phoneRegion: 'US' } as Deps;

async function issuesOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => i.loc);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('domain validation errors name domain fields', () => {
  it('by the operation input’s own camelCase path, not where a transport carried it', async () => {
    expect(await issuesOf(() => queueSms(deps, { businessId: 'b', principal: null, recipients: [{ to: '+14155550100' }], body: 'x', mediaUrls: ['https://example.com/a.png', 'nope'] }))).toEqual([
      ['mediaUrls', 1],
    ]);
    expect(await issuesOf(() => reportDeliveryStatus(deps, { messageId: 'm', status: 'teleported' }))).toEqual([['status']]);
    expect(await issuesOf(() => reportDeliveryStatus(deps, { channel: 'voice', status: 'delivered' }))).toEqual([['channel']]);
    expect(await issuesOf(() => openConversation(deps, { businessId: 'b', phone: 'call me', email: 'nobody' }))).toEqual([['phone'], ['email']]);
    expect(
      await issuesOf(() =>
        validateOnboardingInput(
          {
            businessId: 'b',
            name: 'B',
            settings: { quietHours: { start: '25:00', end: '08:00' } },
            locations: [{ externalId: 'l1', name: 'L', smsSender: { type: 'existing_number', phoneNumber: 'x' } }],
          },
          'US',
        ),
      ),
    ).toEqual([
      ['settings', 'quietHours', 'start'],
      ['locations', 0, 'smsSender', 'phoneNumber'],
    ]);
  });

  it('nowhere in src/domain is a loc written as a REST or GraphQL path', () => {
    // Every path literal of a FieldIssue (`loc: [...]`, assertUuid's, the onboarding checks' `issue([...])`)
    // must not start with a transport's part ('body', 'query', 'path', 'header', 'input') followed by a
    // field, nor use a snake_case (REST) name: those belong to rest-compat/errors.ts and src/graphql/errors.ts.
    const pathLiteral = /(?:\bloc:\s*|\bloc = |Uuid\([^,]*,\s*|\bissue\(\s*|\bresolve\([^,]*,\s*|\btimeZone:\s*|\bquietHours:\s*)\[([^\]]*)\]/g;
    const transportPart = /^\s*'(body|query|path|header|input)'\s*,/;
    const snakeName = /'[a-z0-9]+_[a-z0-9_]+'/;
    const offending = filesUnder('src/domain').flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(pathLiteral)].map((m) => ({ path: m[1]!, at: `${file}:${i + 1}: [${m[1]}]` })))
        .filter(({ path }) => transportPart.test(path) || snakeName.test(path))
        .map(({ at }) => at),
    );
    expect(offending).toEqual([]);
  });
});
