// The one thing Omega's own code asks of tracing: run a piece of work in a span of its own with
// attributes (the message id of a send). Defined without OpenTelemetry's types, so nothing of
// OpenTelemetry is loaded when tracing is off (deps.tracer is then absent).

export type SpanAttributes = Record<string, string | number | boolean>;

export interface Tracer {
  /** Runs `work` inside a span named `name` (the current span's child); the span ends, with an error status if `work` throws, when it settles. */
  inSpan<T>(name: string, attributes: SpanAttributes, work: () => Promise<T>): Promise<T>;
  /** A span begun now (the current span's child) and ended by the caller: for work that begins and ends in separate hooks (a GraphQL operation). */
  startSpan(name: string, attributes: SpanAttributes): { end(failed: boolean): void };
}
