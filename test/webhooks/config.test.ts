import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const twilio = { TWILIO_ACCOUNT_SID: `AC${'a1'.repeat(16)}`, TWILIO_AUTH_TOKEN: 'token' };
const voice = { TWILIO_API_KEY_SID: `SK${'c3'.repeat(16)}`, TWILIO_API_KEY_SECRET: 'secret', TWILIO_TWIML_APP_SID: `AP${'d4'.repeat(16)}` };

describe('webhook and voice configuration', () => {
  it('defaults: no voice key (sandbox tokens), 1-hour tokens, reconciliation after 30 minutes, no Resend secret', () => {
    expect(loadConfig({})).toMatchObject({ voice: { apiKey: undefined, tokenTtlSeconds: 3600 }, webhooks: { resendWebhookSecret: undefined, smsReconcileAfterSeconds: 1800 } });
  });

  it('reads the voice key, TTL, reconciliation age, and the Resend secret without a Resend API key', () => {
    const c = loadConfig({ ...twilio, ...voice, OMEGA_VOICE_TOKEN_TTL_SECONDS: '900', OMEGA_SMS_RECONCILE_AFTER_SECONDS: '600', RESEND_WEBHOOK_SECRET: 'whsec_abc' });
    expect(c.voice).toEqual({ apiKey: { sid: voice.TWILIO_API_KEY_SID, secret: 'secret', twimlAppSid: voice.TWILIO_TWIML_APP_SID }, tokenTtlSeconds: 900 });
    expect(c.webhooks).toEqual({ resendWebhookSecret: 'whsec_abc', smsReconcileAfterSeconds: 600 });
  });

  it.each([
    [{ ...twilio, TWILIO_API_KEY_SID: voice.TWILIO_API_KEY_SID }, 'go together'],
    [voice, 'needs TWILIO_ACCOUNT_SID'],
    [{ ...twilio, ...voice, TWILIO_API_KEY_SID: 'SK123' }, 'TWILIO_API_KEY_SID="SK123" is not an API key SID'],
    [{ ...twilio, ...voice, TWILIO_TWIML_APP_SID: 'AP1' }, 'TWILIO_TWIML_APP_SID="AP1" is not a TwiML app SID'],
    [{ OMEGA_VOICE_TOKEN_TTL_SECONDS: '100000' }, 'OMEGA_VOICE_TOKEN_TTL_SECONDS="100000" is not a whole number from 60 to 86400'],
    [{ OMEGA_SMS_RECONCILE_AFTER_SECONDS: 'soon' }, 'OMEGA_SMS_RECONCILE_AFTER_SECONDS="soon"'],
  ])('refuses a bad setting, naming the variable (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
