// OpenTelemetry's SDK, loaded only by startTracing (dynamic import) when tracing is on: spans of
// HTTP (server and the Twilio SDK's client calls), fetch (undici: Resend, outbound webhooks), pg,
// GraphQL operations and resolvers, and Omega's own (a send, with its message id), exported over
// OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces in batches.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Tracing } from './startTracing.js';

export function setUpTracing(options: { endpoint: string; serviceName: string }): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation(),
      new UndiciInstrumentation(),
      // Statement text without values (pg's default); no span for a pool connect that waits on nothing.
      new PgInstrumentation({ requireParentSpan: false }),
      // One span per resolver of a list, not per item; trivial property resolvers make none.
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
    ],
  });
  const tracer = trace.getTracer('omega');
  return {
    tracer: {
      inSpan: (name, attributes, work) =>
        tracer.startActiveSpan(name, { attributes }, async (span) => {
          try {
            return await work();
          } catch (err) {
            span.recordException(err instanceof Error ? err : String(err));
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw err;
          } finally {
            span.end();
          }
        }),
      startSpan: (name, attributes) => {
        const span = tracer.startSpan(name, { attributes });
        return {
          end(failed) {
            if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          },
        };
      },
    },
    shutdown: () => provider.shutdown(),
  };
}
