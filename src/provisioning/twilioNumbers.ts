// Live number provisioning through the twilio SDK.
import { createTwilioClient, type TwilioAccess } from '../channels/twilio/createTwilioClient.js';
import { messagingServiceWebhooks, numberWebhooks, ProviderError, type AccountNumber, type NumberProvisioner } from './types.js';

interface TwilioNumberInstance {
  sid: string;
  phoneNumber: string;
  friendlyName: string | null;
  smsUrl: string | null;
  voiceUrl: string | null;
  statusCallback: string | null;
}

const toAccountNumber = (n: TwilioNumberInstance): AccountNumber => ({
  sid: n.sid,
  phoneNumber: n.phoneNumber,
  friendlyName: n.friendlyName,
  webhooks: { smsUrl: n.smsUrl ?? '', voiceUrl: n.voiceUrl ?? '', statusCallback: n.statusCallback ?? '' },
});

/** Twilio's RestException carries the HTTP status and Twilio's own error code (e.g. 21422). */
function classify(err: unknown, action: string): ProviderError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const twilioCode = typeof e.code === 'number' || typeof e.code === 'string' ? String(e.code) : undefined;
  const retryable = status === undefined || status === 429 || status >= 500;
  const code = twilioCode && /^\d+$/.test(twilioCode) ? `TWILIO_${twilioCode}` : status ? `TWILIO_HTTP_${status}` : 'TWILIO_UNREACHABLE';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  return new ProviderError('twilio', code, `Twilio refused to ${action}: ${detail}`, retryable, { cause: err });
}

export function createTwilioNumbers(access: TwilioAccess, publicBaseUrl: string): NumberProvisioner {
  const client = createTwilioClient(access, { timeoutMs: 30_000 });
  const webhooks = numberWebhooks(publicBaseUrl);
  const call = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw classify(err, action);
    }
  };
  const configure = (sid: string) =>
    call(`configure number ${sid}`, () =>
      client.incomingPhoneNumbers(sid).update({
        smsUrl: webhooks.smsUrl,
        smsMethod: 'POST',
        voiceUrl: webhooks.voiceUrl,
        voiceMethod: 'POST',
        statusCallback: webhooks.statusCallback,
        statusCallbackMethod: 'POST',
      }),
    );

  return {
    mode: 'live',
    async findNumber(phoneNumber) {
      const found = await call(`look up ${phoneNumber}`, () => client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }));
      return found[0] ? toAccountNumber(found[0]) : null;
    },
    async findNumberByName(friendlyName) {
      const found = await call(`look up number "${friendlyName}"`, () => client.incomingPhoneNumbers.list({ friendlyName, limit: 1 }));
      return found[0] ? toAccountNumber(found[0]) : null;
    },
    async searchNumbers({ country, areaCode, limit }) {
      const found = await call(`search numbers in area code ${areaCode}`, () =>
        client.availablePhoneNumbers(country).local.list({ areaCode: Number(areaCode), smsEnabled: true, voiceEnabled: true, limit }),
      );
      return found.map((n) => n.phoneNumber);
    },
    async buyNumber({ phoneNumber, friendlyName }) {
      const bought = await call(`buy ${phoneNumber}`, () =>
        client.incomingPhoneNumbers.create({
          phoneNumber,
          friendlyName,
          smsUrl: webhooks.smsUrl,
          smsMethod: 'POST',
          voiceUrl: webhooks.voiceUrl,
          voiceMethod: 'POST',
          statusCallback: webhooks.statusCallback,
          statusCallbackMethod: 'POST',
        }),
      );
      return toAccountNumber(bought);
    },
    async configureNumber(number) {
      return toAccountNumber(await configure(number.sid));
    },
    async attachMessagingService(sid) {
      const urls = messagingServiceWebhooks(publicBaseUrl);
      const service = await call(`attach messaging service ${sid}`, () =>
        client.messaging.v1.services(sid).update({
          inboundRequestUrl: urls.inboundRequestUrl,
          inboundMethod: 'POST',
          statusCallback: urls.statusCallback,
          useInboundWebhookOnNumber: false,
        }),
      );
      return { sid: service.sid, friendlyName: service.friendlyName ?? null, ...urls };
    },
  };
}
