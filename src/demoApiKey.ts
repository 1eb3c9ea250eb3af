// The demo business's API key for `npm start`. Keys are stored only as hashes, so the plaintext is
// kept in a git-ignored file beside the embedded database's data, and printed at every start.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { authenticateApiKey } from './domain/auth/authenticateApiKey.js';
import { createApiKey } from './domain/auth/createApiKey.js';
import { DEMO_BUSINESS_ID } from './domain/businesses/seedDemoBusiness.js';
import type { Deps } from './domain/deps.js';

export async function demoApiKey(deps: Deps, file: string): Promise<string> {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    const principal = await authenticateApiKey(deps, key);
    if (principal?.kind === 'business' && principal.businessId === DEMO_BUSINESS_ID) return key;
  }
  const created = await createApiKey(deps, { name: 'demo', businessId: DEMO_BUSINESS_ID });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
  return created.key;
}
