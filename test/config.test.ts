import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to port 4000, sandbox providers and the embedded database', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, host: '127.0.0.1', databaseUrl: undefined, twilio: undefined, resend: undefined, seedDemo: true, workerInProcess: true });
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:4000');
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
});
