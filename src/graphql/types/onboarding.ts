import { StepStatus } from '../../generated/prisma/enums.js';
import { onboardBusiness, type OnboardBusinessResult } from '../../domain/onboarding/onboardBusiness.js';
import type { OnboardingStep } from '../../generated/prisma/client.js';
import { getBusiness } from '../../domain/businesses/getBusiness.js';
import { getOnboardingStatus } from '../../domain/onboarding/getOnboardingStatus.js';
import { retryOnboardingStep } from '../../domain/onboarding/retryOnboardingStep.js';
import { stepKind } from '../../domain/onboarding/onboardingSteps.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';
import { CreatedApiKey } from './apiKey.js';
import { QuietHoursInput } from './businessSettings.js';

const StepStatusEnum = builder.enumType(StepStatus, {
  name: 'StepStatus',
  description: 'pending (queued, or waiting to retry after a passing error), running, succeeded, failed.',
});

// Select mode: a step's `input` (thousands of client rows for an import) is never loaded.
builder.prismaObject('OnboardingStep', {
  select: { id: true, businessId: true },
  ...ownedByBusiness((step: { businessId: string }) => step.businessId),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'sms_sender:<location external id>, email_domain:<domain> or client_import.' }),
    kind: t.string({ select: { name: true }, resolve: (s) => stepKind(s.name) ?? 'unknown' }),
    businessId: t.exposeString('businessId'),
    status: t.expose('status', { type: StepStatusEnum }),
    attempts: t.exposeInt('attempts'),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    result: t.expose('result', { type: 'JSON', description: 'What the step did: the number and webhooks, the domain and its DNS records, import counts; sandbox results say so.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('Onboarding', {
  select: { id: true, businessId: true },
  ...ownedByBusiness((o: { businessId: string }) => o.businessId),
  fields: (t) => ({
    businessId: t.exposeString('businessId'),
    status: t.expose('status', { type: StepStatusEnum, description: 'running while a step is pending or running; failed when one failed; else succeeded.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    steps: t.relation('steps', { query: { orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] } }),
  }),
});

builder.prismaObjectField('Business', 'onboarding', (t) => t.relation('onboarding', { nullable: true }));

const IdPair = builder.objectRef<{ id: string; externalId: string }>('OnboardedRecord').implement({
  fields: (t) => ({ id: t.exposeString('id'), externalId: t.exposeString('externalId') }),
});

const OnboardBusinessPayload = builder.objectRef<OnboardBusinessResult>('OnboardBusinessPayload').implement({
  fields: (t) => ({
    created: t.exposeBoolean('created', { description: 'The business did not exist before.' }),
    business: t.prismaField({ type: 'Business', resolve: (query, r, _args, ctx) => getBusiness(ctx.deps, r.business.id, query) }),
    onboarding: t.prismaField({ type: 'Onboarding', resolve: (query, r, _args, ctx) => getOnboardingStatus(ctx.deps, r.business.id, query) }),
    locations: t.field({ type: [IdPair], resolve: (r) => r.locations }),
    staff: t.field({ type: [IdPair], resolve: (r) => r.staff }),
    apiKey: t.field({ type: CreatedApiKey, nullable: true, resolve: (r) => r.apiKey }),
  }),
});

const SmsSenderTypeEnum = builder.enumType('SmsSenderType', { values: ['existing_number', 'messaging_service', 'provision'] as const });

const SmsSenderInput = builder.inputType('SmsSenderInput', {
  description: 'existing_number (phoneNumber), messaging_service (messagingServiceSid[, phoneNumber]) or provision (areaCode[, country]).',
  fields: (t) => ({
    type: t.field({ type: SmsSenderTypeEnum, required: true }),
    phoneNumber: t.string(),
    messagingServiceSid: t.string(),
    areaCode: t.string(),
    country: t.string({ description: 'ISO country code, default US.' }),
  }),
});

const EmailSenderInput = builder.inputType('EmailSenderInput', {
  fields: (t) => ({ fromAddress: t.string({ required: true }), fromName: t.string() }),
});

const OnboardLocationInput = builder.inputType('OnboardLocationInput', {
  fields: (t) => ({
    externalId: t.string({ required: true }),
    name: t.string({ required: true }),
    timeZone: t.string(),
    address: t.string(),
    smsSender: t.field({ type: SmsSenderInput }),
    emailSender: t.field({ type: EmailSenderInput }),
  }),
});

const OnboardStaffInput = builder.inputType('OnboardStaffInput', {
  fields: (t) => ({
    externalId: t.string({ required: true }),
    firstName: t.string({ required: true }),
    lastName: t.string(),
    email: t.string(),
    phone: t.string(),
    role: t.string(),
    active: t.boolean(),
    locationExternalIds: t.stringList({ description: 'Omitted: every location for a new staff member, unchanged otherwise.' }),
  }),
});

const OnboardClientInput = builder.inputType('OnboardClientInput', {
  fields: (t) => ({
    externalId: t.string({ required: true }),
    firstName: t.string(),
    lastName: t.string(),
    phone: t.string(),
    phones: t.stringList(),
    email: t.string(),
    emails: t.stringList(),
    homeLocationExternalId: t.string(),
    type: t.string(),
    groups: t.stringList(),
  }),
});

const OnboardSettingsInput = builder.inputType('OnboardSettingsInput', {
  fields: (t) => ({
    quietHours: t.field({ type: QuietHoursInput, description: 'null: no quiet hours; omitted: unchanged.' }),
    defaultSenderLocationExternalId: t.string(),
  }),
});

const OnboardBusinessInput = builder.inputType('OnboardBusinessInput', {
  fields: (t) => ({
    businessId: t.string({ required: true, description: 'Your own id for the business; it becomes its id.' }),
    name: t.string({ required: true }),
    timeZone: t.string({ description: 'IANA time zone (default UTC).' }),
    settings: t.field({ type: OnboardSettingsInput }),
    locations: t.field({ type: [OnboardLocationInput] }),
    staff: t.field({ type: [OnboardStaffInput] }),
    clients: t.field({ type: [OnboardClientInput], description: 'Imported in the background, upserted by externalId.' }),
    issueApiKey: t.boolean({ description: 'Default: on the first onboarding only.' }),
  }),
});

const RetryOnboardingStepInput = builder.inputType('RetryOnboardingStepInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    step: t.string({ required: true, description: 'The step name, e.g. sms_sender:downtown.' }),
  }),
});

builder.queryField('onboardingStatus', (t) =>
  t.prismaField({
    type: 'Onboarding',
    description: "A business's onboarding: overall status and each background step.",
    args: { businessId: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
    resolve: (query, _root, args, ctx) => getOnboardingStatus(ctx.deps, args.businessId, query),
  }),
);

builder.mutationFields((t) => ({
  onboardBusiness: t.field({
    type: OnboardBusinessPayload,
    description: 'Creates or updates a business with its settings, locations, staff, senders and client import (service keys only).',
    args: { input: t.arg({ type: OnboardBusinessInput, required: true }) },
    authScopes: { service: true },
    resolve: (_root, { input }, ctx) =>
      onboardBusiness(ctx.deps, {
        ...input,
        settings: input.settings
          ? {
              ...(input.settings.quietHours !== undefined ? { quietHours: input.settings.quietHours } : {}),
              ...(input.settings.defaultSenderLocationExternalId !== undefined ? { defaultSenderLocationExternalId: input.settings.defaultSenderLocationExternalId } : {}),
            }
          : null,
        principal: ctx.principal,
      }),
  }),
  retryOnboardingStep: t.prismaField({
    type: 'OnboardingStep',
    description: 'Queues a failed onboarding step again.',
    args: { input: t.arg({ type: RetryOnboardingStepInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    // Select mode: the planned query never loads `input`, hence the cast.
    resolve: (query, _root, { input }, ctx) => retryOnboardingStep(ctx.deps, input, query) as Promise<OnboardingStep>,
  }),
}));
