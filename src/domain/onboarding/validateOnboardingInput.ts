import { checkSettingsValues } from '../businesses/checkSettingsValues.js';
import type { QuietHours } from '../businesses/businessSettings.js';
import { normalizeEmail } from '../contacts/normalizeEmail.js';
import { normalizePhone, type PhoneRegion } from '../contacts/normalizePhone.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import type { OnboardBusinessInput, SmsSenderInput } from './onboardingInput.js';

export const MAX_IMPORTED_CLIENTS = 50_000;
/** Business ids appear in URL paths: letters, digits and . _ : - only. */
const BUSINESS_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

export type NormalizedSmsSender =
  { type: 'existing_number'; phoneNumber: string } | { type: 'messaging_service'; messagingServiceSid: string; phoneNumber: string | null } | { type: 'provision'; areaCode: string; country: string };

export interface OnboardingPlan {
  businessId: string;
  name: string;
  timeZone: string | null;
  quietHours: QuietHours | null | undefined;
  defaultSenderLocationExternalId: string | null | undefined;
  locations: {
    externalId: string;
    name: string;
    timeZone: string | null;
    address: string | null;
    smsSender: NormalizedSmsSender | null;
    emailSender: { fromAddress: string; fromName: string | null; domain: string } | null;
  }[];
  staff: {
    externalId: string;
    firstName: string;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    role: string | null;
    /** null: not given (active for a new staff member, unchanged for an existing one). */
    active: boolean | null;
    /** null: not given (all locations for a new staff member, unchanged for an existing one). */
    locationExternalIds: string[] | null;
  }[];
  clients:
    | {
        externalId: string;
        firstName: string | null;
        lastName: string | null;
        phones: string[];
        emails: string[];
        homeLocationExternalId: string | null;
        type: string | null;
        groups: string[];
      }[]
    | null;
  issueApiKey: boolean | null;
}

const text = (value: string | null | undefined): string | null => {
  const t = value?.trim();
  return t ? t : null;
};

/**
 * Checks and normalises an onboarding request without touching the database: every problem is
 * reported at once, by field (FastAPI's loc), in one ValidationError. Phones become E.164, emails
 * lower case; external ids must be unique within their list.
 */
export function validateOnboardingInput(input: OnboardBusinessInput, phoneRegion: PhoneRegion): OnboardingPlan {
  const issues: FieldIssue[] = [];
  const issue = (loc: (string | number)[], msg: string, value: unknown, type = 'value_error') => {
    if (issues.length < 100) issues.push({ type, loc, msg, input: value });
  };

  if (!BUSINESS_ID.test(input.businessId)) {
    issue(['businessId'], 'must be 1 to 128 letters, digits or . _ : - (your own id for the business), starting with a letter or digit', input.businessId);
  }
  const name = text(input.name);
  if (!name || name.length > 200) issue(['name'], 'must be 1 to 200 characters', input.name);
  issues.push(...checkSettingsValues({ timeZone: input.timeZone, quietHours: input.settings?.quietHours }, { timeZone: ['timeZone'], quietHours: ['settings', 'quietHours'] }));

  const locationIds = new Set<string>();
  const smsNumbers = new Set<string>();
  const locations = (input.locations ?? []).map((l, i) => {
    const externalId = text(l.externalId) ?? '';
    if (!externalId) issue(['locations', i, 'externalId'], 'is required: your own id for the location, so a repeat onboarding updates it', l.externalId, 'missing');
    else if (locationIds.has(externalId)) issue(['locations', i, 'externalId'], 'appears twice in locations', l.externalId);
    locationIds.add(externalId);
    if (!text(l.name)) issue(['locations', i, 'name'], 'must not be empty', l.name);
    issues.push(...checkSettingsValues({ timeZone: l.timeZone }, { timeZone: ['locations', i, 'timeZone'], quietHours: [] }));
    const smsSender = l.smsSender ? checkSmsSender(l.smsSender, ['locations', i, 'smsSender'], issue, phoneRegion) : null;
    const senderPhone = smsSender && smsSender.type !== 'provision' ? smsSender.phoneNumber : null;
    if (senderPhone && smsNumbers.has(senderPhone)) issue(['locations', i, 'smsSender', 'phoneNumber'], 'is already the sender of another location in this request', senderPhone);
    if (senderPhone) smsNumbers.add(senderPhone);
    let emailSender: OnboardingPlan['locations'][number]['emailSender'] = null;
    if (l.emailSender) {
      const fromAddress = normalizeEmail(l.emailSender.fromAddress ?? '');
      if (!fromAddress) issue(['locations', i, 'emailSender', 'fromAddress'], 'must be an email address such as front-desk@yourspa.com', l.emailSender.fromAddress);
      else emailSender = { fromAddress, fromName: text(l.emailSender.fromName), domain: fromAddress.slice(fromAddress.indexOf('@') + 1) };
    }
    return { externalId, name: text(l.name) ?? '', timeZone: text(l.timeZone), address: text(l.address), smsSender, emailSender };
  });

  const staffIds = new Set<string>();
  const staff = (input.staff ?? []).map((s, i) => {
    const externalId = text(s.externalId) ?? '';
    if (!externalId) issue(['staff', i, 'externalId'], 'is required: your own id for the staff member', s.externalId, 'missing');
    else if (staffIds.has(externalId)) issue(['staff', i, 'externalId'], 'appears twice in staff', s.externalId);
    staffIds.add(externalId);
    if (!text(s.firstName)) issue(['staff', i, 'firstName'], 'must not be empty', s.firstName);
    const email = s.email ? normalizeEmail(s.email) : null;
    if (s.email && !email) issue(['staff', i, 'email'], 'must be an email address', s.email);
    const phone = s.phone ? normalizePhone(s.phone, phoneRegion) : null;
    if (s.phone && !phone) issue(['staff', i, 'phone'], 'must be a phone number, e.g. +14155550100', s.phone);
    return {
      externalId,
      firstName: text(s.firstName) ?? '',
      lastName: text(s.lastName),
      email,
      phone,
      role: text(s.role),
      active: s.active ?? null,
      locationExternalIds: s.locationExternalIds == null ? null : [...new Set(s.locationExternalIds.map((id) => id.trim()).filter(Boolean))],
    };
  });

  let clients: OnboardingPlan['clients'] = null;
  if (input.clients) {
    if (input.clients.length > MAX_IMPORTED_CLIENTS) {
      issue(['clients'], `holds ${input.clients.length} clients; import at most ${MAX_IMPORTED_CLIENTS} per request (send the rest in further onboarding calls)`, input.clients.length, 'too_long');
    }
    const clientIds = new Set<string>();
    clients = input.clients.slice(0, MAX_IMPORTED_CLIENTS).map((c, i) => {
      const externalId = text(c.externalId) ?? '';
      if (!externalId) issue(['clients', i, 'externalId'], 'is required: imports are keyed by your client id', c.externalId, 'missing');
      else if (clientIds.has(externalId)) issue(['clients', i, 'externalId'], 'appears twice in clients', c.externalId);
      clientIds.add(externalId);
      const phones: string[] = [];
      [c.phone, ...(c.phones ?? [])].forEach((raw, j) => {
        if (raw == null || raw.trim() === '') return;
        const phone = normalizePhone(raw, phoneRegion);
        if (!phone) issue(['clients', i, j === 0 ? 'phone' : 'phones', ...(j === 0 ? [] : [j - 1])], 'must be a phone number, e.g. +14155550100 or (415) 555-0100', raw);
        else if (!phones.includes(phone)) phones.push(phone);
      });
      const emails: string[] = [];
      [c.email, ...(c.emails ?? [])].forEach((raw, j) => {
        if (raw == null || raw.trim() === '') return;
        const email = normalizeEmail(raw);
        if (!email) issue(['clients', i, j === 0 ? 'email' : 'emails', ...(j === 0 ? [] : [j - 1])], 'must be an email address', raw);
        else if (!emails.includes(email)) emails.push(email);
      });
      return {
        externalId,
        firstName: text(c.firstName),
        lastName: text(c.lastName),
        phones,
        emails,
        homeLocationExternalId: text(c.homeLocationExternalId),
        type: text(c.type),
        groups: [...new Set((c.groups ?? []).map((g) => g.trim()).filter(Boolean))],
      };
    });
  }

  if (issues.length) throw new ValidationError(issues);
  return {
    businessId: input.businessId,
    name: name!,
    timeZone: text(input.timeZone),
    quietHours: input.settings?.quietHours,
    defaultSenderLocationExternalId: input.settings ? input.settings.defaultSenderLocationExternalId : undefined,
    locations,
    staff,
    clients,
    issueApiKey: input.issueApiKey ?? null,
  };
}

function checkSmsSender(
  s: SmsSenderInput,
  loc: (string | number)[],
  issue: (loc: (string | number)[], msg: string, value: unknown, type?: string) => void,
  phoneRegion: PhoneRegion,
): NormalizedSmsSender | null {
  const phone = s.phoneNumber ? normalizePhone(s.phoneNumber, phoneRegion) : null;
  if (s.phoneNumber && !phone) issue([...loc, 'phoneNumber'], 'must be a phone number in E.164, e.g. +14155550100', s.phoneNumber);
  switch (s.type) {
    case 'existing_number':
      if (!s.phoneNumber) issue([...loc, 'phoneNumber'], 'is required with type "existing_number" (the Twilio number to attach)', null, 'missing');
      return phone ? { type: 'existing_number', phoneNumber: phone } : null;
    case 'messaging_service':
      if (!s.messagingServiceSid || !MESSAGING_SERVICE_SID.test(s.messagingServiceSid)) {
        issue([...loc, 'messagingServiceSid'], 'must be a Twilio messaging service SID (MG followed by 32 hex digits)', s.messagingServiceSid ?? null);
        return null;
      }
      return { type: 'messaging_service', messagingServiceSid: s.messagingServiceSid, phoneNumber: phone };
    case 'provision': {
      const areaCode = s.areaCode?.trim() ?? '';
      const country = (s.country?.trim() || 'US').toUpperCase();
      if (!/^\d{3}$/.test(areaCode)) issue([...loc, 'areaCode'], 'must be a 3-digit area code, e.g. "415"', s.areaCode ?? null);
      if (!/^[A-Z]{2}$/.test(country)) issue([...loc, 'country'], 'must be an ISO country code such as "US" or "CA"', s.country ?? null);
      return /^\d{3}$/.test(areaCode) && /^[A-Z]{2}$/.test(country) ? { type: 'provision', areaCode, country } : null;
    }
    default: {
      const never: never = s.type;
      issue([...loc, 'type'], "Input should be 'existing_number', 'messaging_service' or 'provision'", never, 'enum');
      return null;
    }
  }
}
