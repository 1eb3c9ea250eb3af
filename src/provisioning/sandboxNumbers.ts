// Number provisioning without Twilio credentials: nothing leaves the machine. Numbers come from
// Twilio's test range (+1 500 555 xxxx), which never reaches a real phone; attaching a number or a
// messaging service is accepted as given. Ids are derived from the values, so repeats agree.
import { createHash, randomInt } from 'node:crypto';
import { messagingServiceWebhooks, numberWebhooks, type AccountNumber, type NumberProvisioner } from './types.js';

const sandboxSid = (value: string) => `PN${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;

export function createSandboxNumbers(publicBaseUrl: string): NumberProvisioner {
  const webhooks = numberWebhooks(publicBaseUrl);
  const number = (phoneNumber: string, friendlyName: string | null): AccountNumber => ({
    sid: sandboxSid(phoneNumber),
    phoneNumber,
    friendlyName,
    webhooks,
  });
  return {
    mode: 'sandbox',
    findNumber: async (phoneNumber) => number(phoneNumber, null),
    // The sandbox keeps no account: a bought number is found through our own rows instead.
    findNumberByName: async () => null,
    async searchNumbers({ limit }) {
      // +1500555 0000..0099 are Twilio's "magic" test numbers with special behaviour: skip them.
      const numbers = new Set<string>();
      while (numbers.size < limit) numbers.add(`+1500555${String(randomInt(100, 10_000)).padStart(4, '0')}`);
      return [...numbers];
    },
    buyNumber: async ({ phoneNumber, friendlyName }) => number(phoneNumber, friendlyName),
    configureNumber: async (found) => ({ ...found, webhooks }),
    attachMessagingService: async (sid) => ({ sid, friendlyName: null, ...messagingServiceWebhooks(publicBaseUrl) }),
  };
}
