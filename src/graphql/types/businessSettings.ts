import { parseBusinessSettings } from '../../domain/businesses/parseBusinessSettings.js';
import { updateBusinessSettings } from '../../domain/businesses/updateBusinessSettings.js';
import type { QuietHours as QuietHoursShape } from '../../domain/businesses/businessSettings.js';
import { builder } from '../builder.js';

const QuietHours = builder.objectRef<QuietHoursShape>('QuietHours').implement({
  description: 'A daily window in the business time zone ("HH:MM", 24-hour); it may wrap midnight.',
  fields: (t) => ({ start: t.exposeString('start'), end: t.exposeString('end') }),
});

export const QuietHoursInput = builder.inputType('QuietHoursInput', {
  fields: (t) => ({
    start: t.string({ required: true, description: '"HH:MM", e.g. "21:00"' }),
    end: t.string({ required: true, description: '"HH:MM", e.g. "08:00"' }),
  }),
});

builder.prismaObjectFields('Business', (t) => ({
  quietHours: t.field({
    type: QuietHours,
    nullable: true,
    select: { settings: true },
    resolve: (b) => parseBusinessSettings(b.settings).quietHours,
  }),
  defaultSenderLocationId: t.string({
    nullable: true,
    select: { settings: true },
    resolve: (b) => parseBusinessSettings(b.settings).defaultSenderLocationId,
  }),
  phoneRegion: t.string({
    nullable: true,
    description: 'The country (ISO 3166 alpha-2) whose national format staff write phone numbers in; null: the deployment default (OMEGA_DEFAULT_PHONE_REGION).',
    select: { settings: true },
    resolve: (b) => parseBusinessSettings(b.settings).phoneRegion,
  }),
}));

const UpdateBusinessSettingsInput = builder.inputType('UpdateBusinessSettingsInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    timeZone: t.string({ description: 'IANA time zone; omitted: unchanged.' }),
    quietHours: t.field({ type: QuietHoursInput, description: 'null: no quiet hours; omitted: unchanged.' }),
    defaultSenderLocationId: t.string({ description: 'A location of the business; null: none; omitted: unchanged.' }),
    phoneRegion: t.string({ description: 'ISO 3166 alpha-2 country ("GB") national phone numbers are read in; null: the deployment default; omitted: unchanged.' }),
  }),
});

builder.mutationField('updateBusinessSettings', (t) =>
  t.prismaField({
    type: 'Business',
    description: 'Changes the time zone, quiet hours, default sender location or phone region; the others stay as they are.',
    args: { input: t.arg({ type: UpdateBusinessSettingsInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (query, _root, { input }, ctx) =>
      updateBusinessSettings(
        ctx.deps,
        {
          businessId: input.businessId,
          timeZone: input.timeZone,
          ...(input.quietHours !== undefined ? { quietHours: input.quietHours } : {}),
          ...(input.defaultSenderLocationId !== undefined ? { defaultSenderLocationId: input.defaultSenderLocationId } : {}),
          ...(input.phoneRegion !== undefined ? { phoneRegion: input.phoneRegion } : {}),
        },
        query,
      ),
  }),
);
