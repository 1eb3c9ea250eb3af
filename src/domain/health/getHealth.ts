import { readFileSync } from 'node:fs';

// The project's package.json, found from this file; in a build, dist/package.json (scripts/build.mjs).
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
const startedAt = Date.now();

export interface Health {
  status: 'ok';
  service: string;
  version: string;
  uptimeSeconds: number;
}

/** Liveness: answers without touching the database. */
export function getHealth(): Health {
  return { status: 'ok', service: pkg.name, version: pkg.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10 };
}
