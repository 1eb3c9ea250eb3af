// Optional OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT). Entry points (src/main.ts,
// src/worker/main.ts) call startTracing before importing anything it traces: OpenTelemetry patches
// modules as they load (ESM through a module.register hook, CommonJS through require). Unset: it
// returns null, and no OpenTelemetry module is loaded at all.
import type { Config } from '../config.js';
import type { Tracer } from './tracer.js';

export interface Tracing {
  tracer: Tracer;
  /** Sends the spans still buffered and stops (at shutdown). */
  shutdown(): Promise<void>;
}

/** The modules OpenTelemetry wraps when they are imported as ECMAScript modules (only those: wrapping every module costs start time). */
const ESM_HOOKED = ['pg', 'pg-pool', 'graphql', 'undici', 'http', 'https'];

export async function startTracing(config: Pick<Config, 'otelEndpoint'>, serviceName: string): Promise<Tracing | null> {
  if (!config.otelEndpoint) return null;
  const { register } = await import('node:module');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ESM_HOOKED } });
  const { setUpTracing } = await import('./setUpTracing.js');
  return setUpTracing({ endpoint: config.otelEndpoint, serviceName });
}
