import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to port 4000, sandbox providers and the embedded database', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, host: '127.0.0.1', databaseUrl: undefined, twilio: undefined, resend: undefined, seedDemo: true, workerInProcess: true });
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:4000');
  });

  it('prefills GraphiQL with the demo key only with the embedded database on a loopback HOST', () => {
    expect(loadConfig({}).graphiqlDemoKey).toBe(true);
    expect(loadConfig({ HOST: 'localhost' }).graphiqlDemoKey).toBe(true);
    expect(loadConfig({ HOST: '::1' }).graphiqlDemoKey).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0' }).graphiqlDemoKey).toBe(false);
    expect(loadConfig({ HOST: '192.168.1.20' }).graphiqlDemoKey).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/omega', OMEGA_SEED_DEMO: 'true' }).graphiqlDemoKey).toBe(false);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://omega.example.com' }).graphiqlDemoKey).toBe(false);
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://localhost:8080' }).graphiqlDemoKey).toBe(true);
  });

  it('reads OMEGA_DEFAULT_PHONE_REGION as a country code (default US), and names a bad one', () => {
    expect(loadConfig({}).phoneRegion).toBe('US');
    expect(loadConfig({ OMEGA_DEFAULT_PHONE_REGION: 'gb' }).phoneRegion).toBe('GB');
    expect(() => loadConfig({ OMEGA_DEFAULT_PHONE_REGION: 'UK' })).toThrow(/OMEGA_DEFAULT_PHONE_REGION="UK" is not a country .*OMEGA_DEFAULT_PHONE_REGION=GB/);
  });

  it('puts an IPv6 HOST in brackets in the default public URL', () => {
    expect(loadConfig({ HOST: '::1', PORT: '4100' }).publicBaseUrl).toBe('http://[::1]:4100');
  });

  it('reads every documented variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u@db:5432/omega',
      PUBLIC_BASE_URL: 'https://omega.example.com/',
      OMEGA_SERVICE_API_KEY: 'a'.repeat(32),
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      RESEND_API_KEY: 're_123',
      RESEND_WEBHOOK_SECRET: 'whsec_abc',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://u@db:5432/omega',
      publicBaseUrl: 'https://omega.example.com',
      serviceApiKey: 'a'.repeat(32),
      twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token' },
      resend: { apiKey: 're_123', webhookSecret: 'whsec_abc' },
      logLevel: 'warn',
      seedDemo: false,
    });
  });

  it('names every bad variable with an example of a good value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, LOG_LEVEL: 'loud', OMEGA_SERVICE_API_KEY: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty" is not a whole number from 0 to 65535 (example: PORT=4000)');
    expect(message).toContain('DATABASE_URL="mysql://x" is not a postgres: or postgresql: URL');
    expect(message).toContain('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together');
    expect(message).toContain('LOG_LEVEL="loud"');
    expect(message).toContain('OMEGA_SERVICE_API_KEY must be at least 24 characters');
  });

  it('reads OMEGA_TRUST_PROXY as addresses, ranges, range names or hops, and refuses trusting everyone', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ OMEGA_TRUST_PROXY: 'loopback, 10.0.0.0/8,::1,fd00::/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(loadConfig({ OMEGA_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    for (const bad of ['true', '*', '0', '11', '10.0.0.0/33', 'nginx', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ OMEGA_TRUST_PROXY: bad }), bad).toThrow(/OMEGA_TRUST_PROXY/);
    }
  });

  it('reads OMEGA_CORS_ORIGINS as browser origins, and refuses paths and wildcards', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ OMEGA_CORS_ORIGINS: ' https://Inbox.Example.com , http://localhost:5173,https://inbox.example.com/ ' }).corsOrigins).toEqual([
      'https://inbox.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['*', 'https://*.example.com', 'https://example.com/app', 'inbox.example.com', 'ftp://example.com']) {
      expect(() => loadConfig({ OMEGA_CORS_ORIGINS: bad }), bad).toThrow(/OMEGA_CORS_ORIGINS: .* is not an origin/);
    }
  });

  it('reads the GraphQL alias, token and directive limits', () => {
    expect(loadConfig({})).toMatchObject({ graphqlMaxAliases: 15, graphqlMaxTokens: 2000, graphqlMaxDirectives: 50 });
    expect(loadConfig({ OMEGA_GRAPHQL_MAX_ALIASES: '5', OMEGA_GRAPHQL_MAX_TOKENS: '500', OMEGA_GRAPHQL_MAX_DIRECTIVES: '3' })).toMatchObject({
      graphqlMaxAliases: 5,
      graphqlMaxTokens: 500,
      graphqlMaxDirectives: 3,
    });
    expect(() => loadConfig({ OMEGA_GRAPHQL_MAX_TOKENS: '10' })).toThrow(/OMEGA_GRAPHQL_MAX_TOKENS="10" is not a whole number from 100/);
  });
});
