import type { ClaimedStep } from '../../db/sql/claimOnboardingStep.js';
import type { AccountNumber } from '../../provisioning/types.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { NormalizedSmsSender } from './validateOnboardingInput.js';

const SANDBOX_NOTE = 'Sandbox: Twilio is not configured (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN unset), so nothing was sent to Twilio; ' + 'the sender was recorded locally and sandbox SMS use it.';
const SANDBOX_PROVISION_NOTE =
  'Sandbox: Twilio is not configured (TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN unset), so no number was bought; ' +
  "a number from Twilio's test range (+1 500 555 xxxx, never a real phone) was assigned locally.";

/**
 * Gives a location its SMS sender (the sms_sender step): attaches a number of our Twilio account or
 * a messaging service, pointing their webhooks at this service, or buys a local number in an area
 * code. Buying is idempotent: a number bought earlier for this location (found on the location, or
 * in the account by its friendly name "omega:<business>:<location>") is kept rather than bought twice.
 */
export async function setUpSmsSender(deps: Deps, step: ClaimedStep): Promise<Record<string, unknown>> {
  const input = step.input as { locationId: string } & NormalizedSmsSender;
  const numbers = deps.provisioning.numbers;
  const location = await deps.prisma.location.findFirst({
    where: { id: input.locationId, businessId: step.business_id },
    select: { id: true, smsPhoneNumber: true, smsNumberSid: true },
  });
  if (!location) throw new NotFoundError('LOCATION_NOT_FOUND', `Location ${input.locationId} of business ${JSON.stringify(step.business_id)} no longer exists.`);
  const sandbox = numbers.mode === 'sandbox' ? { sandbox: true } : { sandbox: false };

  switch (input.type) {
    case 'existing_number': {
      const found = await numbers.findNumber(input.phoneNumber);
      if (!found) {
        throw new ConflictError('SMS_NUMBER_NOT_IN_ACCOUNT', `${input.phoneNumber} is not a number of this Twilio account; buy or port it into the account first, or use type "provision".`);
      }
      const configured = await numbers.configureNumber(found);
      await assign(deps, location.id, { smsPhoneNumber: found.phoneNumber, smsNumberSid: found.sid, messagingServiceSid: null });
      return { type: input.type, phoneNumber: found.phoneNumber, numberSid: found.sid, webhooks: configured.webhooks, ...sandbox, ...(numbers.mode === 'sandbox' ? { note: SANDBOX_NOTE } : {}) };
    }
    case 'messaging_service': {
      const service = await numbers.attachMessagingService(input.messagingServiceSid);
      await assign(deps, location.id, {
        messagingServiceSid: service.sid,
        ...(input.phoneNumber ? { smsPhoneNumber: input.phoneNumber, smsNumberSid: null } : {}),
      });
      return {
        type: input.type,
        messagingServiceSid: service.sid,
        phoneNumber: input.phoneNumber ?? location.smsPhoneNumber,
        webhooks: { inboundRequestUrl: service.inboundRequestUrl, statusCallback: service.statusCallback },
        ...sandbox,
        ...(numbers.mode === 'sandbox' ? { note: SANDBOX_NOTE } : {}),
      };
    }
    case 'provision':
      return provision(deps, step, location, input, sandbox);
    default: {
      const never: never = input;
      throw new Error(`internal error: unknown SMS sender ${JSON.stringify(never)}`);
    }
  }
}

async function provision(
  deps: Deps,
  step: ClaimedStep,
  location: { id: string; smsPhoneNumber: string | null; smsNumberSid: string | null },
  input: Extract<NormalizedSmsSender, { type: 'provision' }>,
  sandbox: { sandbox: boolean },
): Promise<Record<string, unknown>> {
  const numbers = deps.provisioning.numbers;
  const friendlyName = `omega:${step.business_id}:${location.id}`.slice(0, 64);
  const fits = (phone: string) => (numbers.mode === 'sandbox' ? phone.startsWith('+1500555') : !['US', 'CA'].includes(input.country) || phone.startsWith(`+1${input.areaCode}`));
  const done = (n: AccountNumber, reused: boolean) => ({
    type: 'provision',
    areaCode: input.areaCode,
    country: input.country,
    phoneNumber: n.phoneNumber,
    numberSid: n.sid,
    reused,
    webhooks: n.webhooks,
    ...sandbox,
    ...(numbers.mode === 'sandbox' ? { note: SANDBOX_PROVISION_NOTE } : {}),
  });

  // Bought before (an earlier attempt, a repeat onboarding): keep it.
  if (location.smsPhoneNumber && location.smsNumberSid && fits(location.smsPhoneNumber)) {
    const kept = await numbers.configureNumber({ sid: location.smsNumberSid, phoneNumber: location.smsPhoneNumber, friendlyName, webhooks: { smsUrl: '', voiceUrl: '', statusCallback: '' } });
    return done({ ...kept, phoneNumber: location.smsPhoneNumber }, true);
  }
  // Bought by an attempt that failed before recording it.
  const marked = await numbers.findNumberByName(friendlyName);
  if (marked && fits(marked.phoneNumber)) {
    await assign(deps, location.id, { smsPhoneNumber: marked.phoneNumber, smsNumberSid: marked.sid, messagingServiceSid: null });
    return done(await numbers.configureNumber(marked), true);
  }

  const offered = await numbers.searchNumbers({ country: input.country, areaCode: input.areaCode, limit: 20 });
  const taken = new Set((await deps.prisma.location.findMany({ where: { smsPhoneNumber: { in: offered } }, select: { smsPhoneNumber: true } })).map((l) => l.smsPhoneNumber));
  const candidates = offered.filter((n) => !taken.has(n));
  if (candidates.length === 0) {
    throw new ConflictError('NO_NUMBERS_AVAILABLE', `Twilio offers no local numbers in area code ${input.areaCode} (${input.country}); onboard again with a nearby area code.`);
  }
  const bought = await numbers.buyNumber({ phoneNumber: candidates[0]!, friendlyName });
  await assign(deps, location.id, { smsPhoneNumber: bought.phoneNumber, smsNumberSid: bought.sid, messagingServiceSid: null });
  return done(bought, false);
}

async function assign(deps: Deps, locationId: string, data: { smsPhoneNumber?: string; smsNumberSid?: string | null; messagingServiceSid?: string | null }): Promise<void> {
  try {
    await deps.prisma.location.update({ where: { id: locationId }, data });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') {
      throw new ConflictError('SMS_NUMBER_IN_USE', `${data.smsPhoneNumber} is already the SMS number of another location; choose another number.`, { cause: err });
    }
    throw err;
  }
}
