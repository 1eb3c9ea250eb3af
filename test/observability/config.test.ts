import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('metrics and tracing configuration', () => {
  it('defaults to no /metrics anywhere, no metrics listener and no tracing', () => {
    const c = loadConfig({});
    expect(c.metricsEndpoint).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
    expect(c.otelEndpoint).toBeUndefined();
  });

  it('reads the token, the listener and the collector', () => {
    const c = loadConfig({ OMEGA_METRICS_TOKEN: 'a'.repeat(24), OMEGA_METRICS_PORT: '9464', OMEGA_METRICS_HOST: '0.0.0.0', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(c.metricsEndpoint).toEqual({ token: 'a'.repeat(24), port: 9464, host: '0.0.0.0' });
    expect(c.otelEndpoint).toBe('http://collector:4318');
  });

  it('refuses a short token, a port that is PORT, a port out of range and a collector that is not an http URL, naming each', () => {
    expect(() => loadConfig({ OMEGA_METRICS_TOKEN: 'short' })).toThrow(/OMEGA_METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ PORT: '4000', OMEGA_METRICS_PORT: '4000' })).toThrow(/OMEGA_METRICS_PORT=4000 is PORT too/);
    expect(() => loadConfig({ OMEGA_METRICS_PORT: '70000' })).toThrow(/OMEGA_METRICS_PORT="70000" is not a whole number from 0 to 65535/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT="grpc:\/\/collector:4317" is not a http: or https: URL/);
  });
});
