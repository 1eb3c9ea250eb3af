import type { Business } from '../../generated/prisma/client.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { isPhoneRegion } from '../contacts/normalizePhone.js';
import { isUuid } from '../ids.js';
import type { PrismaQuery } from '../prismaQuery.js';
import type { QuietHours } from './businessSettings.js';
import { checkSettingsValues } from './checkSettingsValues.js';
import { parseBusinessSettings } from './parseBusinessSettings.js';
import { runTransaction } from '../../db/transaction.js';
import { lockBusinessSettings } from '../../db/sql/locks.js';

export interface UpdateBusinessSettingsInput {
  businessId: string;
  /** Omitted: unchanged. */
  timeZone?: string | null;
  /** Omitted (undefined): unchanged; null: no quiet hours. */
  quietHours?: QuietHours | null;
  /** Omitted (undefined): unchanged; null: no default sender. A location of this business. */
  defaultSenderLocationId?: string | null;
  /** Omitted (undefined): unchanged; null: the deployment's default. ISO 3166 alpha-2 ("GB"), any case. */
  phoneRegion?: string | null;
}

/** Changes some of a business's settings, validating each; the others stay as they are. */
export async function updateBusinessSettings(deps: Deps, input: UpdateBusinessSettingsInput, query: PrismaQuery = {}): Promise<Business> {
  const issues = checkSettingsValues({ timeZone: input.timeZone, quietHours: input.quietHours }, { timeZone: ['timeZone'], quietHours: ['quietHours'] });
  const locationId = input.defaultSenderLocationId;
  if (locationId != null && !isUuid(locationId)) {
    issues.push({ type: 'uuid_parsing', loc: ['defaultSenderLocationId'], msg: 'Input should be a valid UUID (a location id)', input: locationId });
  }
  const phoneRegion = input.phoneRegion == null ? input.phoneRegion : input.phoneRegion.trim().toUpperCase();
  if (phoneRegion != null && !isPhoneRegion(phoneRegion)) {
    issues.push({ type: 'value_error', loc: ['phoneRegion'], msg: 'Not a country of the phone numbering plan: give its ISO 3166 two-letter code, e.g. "GB", "US", "AU"', input: input.phoneRegion });
  }
  if (issues.length) throw new ValidationError(issues);
  return runTransaction(deps, async (tx) => {
    const business = await lockBusinessSettings(tx.sql, input.businessId);
    if (!business) throw new NotFoundError('BUSINESS_NOT_FOUND', `No business with id ${JSON.stringify(input.businessId)}.`);
    if (locationId != null) {
      const location = await tx.prisma.location.findFirst({ where: { id: locationId, businessId: input.businessId }, select: { id: true } });
      if (!location) {
        throw new ValidationError([{ type: 'value_error', loc: ['defaultSenderLocationId'], msg: `is not a location of business ${JSON.stringify(input.businessId)}`, input: locationId }]);
      }
    }
    const current = parseBusinessSettings(business.settings);
    const raw = business.settings && typeof business.settings === 'object' ? (business.settings as Record<string, unknown>) : {};
    const settings = {
      ...raw,
      quietHours: input.quietHours === undefined ? current.quietHours : input.quietHours,
      defaultSenderLocationId: locationId === undefined ? current.defaultSenderLocationId : locationId,
      ...(phoneRegion !== undefined ? { phoneRegion } : {}),
    };
    return tx.prisma.business.update({
      ...(query as object),
      where: { id: input.businessId },
      data: { settings, ...(input.timeZone != null ? { timeZone: input.timeZone } : {}) },
    }) as Promise<Business>;
  });
}
