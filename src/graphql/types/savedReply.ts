// Saved replies (templates with {{variables}}) of a business, and their preview (renderTemplate).
// Sessions and API keys of the business read and manage them; another business's reply is
// SAVED_REPLY_NOT_FOUND everywhere.
import { createSavedReply } from '../../domain/savedReplies/createSavedReply.js';
import { deleteSavedReply } from '../../domain/savedReplies/deleteSavedReply.js';
import { getSavedReply } from '../../domain/savedReplies/getSavedReply.js';
import { countSavedReplies, listSavedReplies } from '../../domain/savedReplies/listSavedReplies.js';
import { previewTemplate, type TemplateMissing, type TemplatePreview } from '../../domain/savedReplies/previewTemplate.js';
import { SAVED_REPLY_CHANNELS } from '../../domain/savedReplies/savedReplyFields.js';
import { TEMPLATE_VARIABLES } from '../../domain/savedReplies/template.js';
import { updateSavedReply } from '../../domain/savedReplies/updateSavedReply.js';
import type { SmsSegments } from '../../domain/sending/countSmsSegments.js';
import type { SavedReply } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { ownedByBusiness } from '../ownedByBusiness.js';

export const SavedReplyChannelEnum = builder.enumType('SavedReplyChannel', {
  description: 'The channel a saved reply is for: sms, email, or any (both).',
  values: SAVED_REPLY_CHANNELS,
});

const variablesDoc = `Variables: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}; a fallback for a missing value: {{client.first_name | "there"}} (escape " as \\" and \\ as \\\\ inside it; \\{{ is a literal {{). Anything else in braces is refused when saved.`;

builder.prismaObject('SavedReply', {
  ...ownedByBusiness((r: { businessId: string }) => r.businessId),
  description: `A saved reply (canned response, template) of a business, optionally of one location. ${variablesDoc}`,
  fields: (t) => ({
    id: t.exposeString('id'),
    businessId: t.exposeString('businessId'),
    locationId: t.exposeString('locationId', { nullable: true, description: 'null: every location of the business.' }),
    name: t.exposeString('name'),
    shortcut: t.exposeString('shortcut', { description: 'Lower-case, without the "/" the composer types before it; unique per business, whatever its case.' }),
    channel: t.field({ type: SavedReplyChannelEnum, resolve: (r) => r.channel as (typeof SAVED_REPLY_CHANNELS)[number] }),
    subject: t.exposeString('subject', { nullable: true, description: 'Email (and any): the subject template.' }),
    body: t.exposeString('body', { description: 'The body template (plain text).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const SmsSegmentsRef = builder.objectRef<SmsSegments>('TemplateSmsSegments').implement({
  description: 'How the rendered body goes out as SMS.',
  fields: (t) => ({
    encoding: t.exposeString('encoding', { description: 'gsm7 or ucs2 (emoji, most non-Latin scripts).' }),
    segments: t.exposeInt('segments'),
    units: t.exposeInt('units', { description: 'Septets (gsm7) or UTF-16 code units (ucs2).' }),
  }),
});

const TemplateMissingRef = builder.objectRef<TemplateMissing>('TemplateMissingVariable').implement({
  fields: (t) => ({
    variable: t.exposeString('variable', { description: 'e.g. client.first_name' }),
    field: t.exposeString('field', { description: 'subject or body' }),
    usedFallback: t.exposeBoolean('usedFallback', { description: 'true: its fallback was used; false: it rendered empty (a send refuses that with a 422).' }),
  }),
});

const TemplatePreviewRef = builder.objectRef<TemplatePreview>('TemplatePreview').implement({
  description: 'A template rendered for a conversation or client, as a send would render it; nothing is sent.',
  fields: (t) => ({
    savedReplyId: t.exposeString('savedReplyId', { nullable: true }),
    channel: t.field({ type: SavedReplyChannelEnum, resolve: (p) => p.channel as (typeof SAVED_REPLY_CHANNELS)[number] }),
    subject: t.exposeString('subject', { nullable: true }),
    body: t.exposeString('body'),
    sms: t.field({ type: SmsSegmentsRef, nullable: true, description: 'The body as an SMS (null for an email reply).', resolve: (p) => p.sms }),
    missing: t.field({ type: [TemplateMissingRef], resolve: (p) => p.missing }),
    variables: t.stringList({ description: 'Every variable the subject and body use.', resolve: (p) => p.variables }),
  }),
});

const DeletedSavedReply = builder.objectRef<{ id: string }>('DeletedSavedReply').implement({
  fields: (t) => ({ id: t.exposeString('id') }),
});

const CreateSavedReplyInput = builder.inputType('CreateSavedReplyInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    locationId: t.string({ description: 'Omitted: every location of the business.' }),
    name: t.string({ required: true, description: 'At most 100 characters.' }),
    shortcut: t.string({ required: true, description: 'One word of letters, digits, "-" and "_" (a leading "/" is dropped), at most 32; unique per business, whatever its case.' }),
    channel: t.field({ type: SavedReplyChannelEnum, description: 'Default any.' }),
    subject: t.string({ description: 'Email and any only: the subject template (one line).' }),
    body: t.string({ required: true, description: `The body template: at most 1,600 characters (sms, any) or 50,000 (email). ${variablesDoc}` }),
  }),
});

const UpdateSavedReplyInput = builder.inputType('UpdateSavedReplyInput', {
  fields: (t) => ({
    id: t.string({ required: true }),
    locationId: t.string({ description: 'null: every location.' }),
    name: t.string(),
    shortcut: t.string(),
    channel: t.field({ type: SavedReplyChannelEnum }),
    subject: t.string({ description: 'null: none.' }),
    body: t.string(),
  }),
});

const SavedReplyIdInput = builder.inputType('SavedReplyIdInput', { fields: (t) => ({ id: t.string({ required: true }) }) });

const RenderTemplateInput = builder.inputType('RenderTemplateInput', {
  fields: (t) => ({
    businessId: t.string({ required: true }),
    savedReplyId: t.string({ description: 'The saved reply to render; subject and body, when given, replace its own (as in a send).' }),
    subject: t.string(),
    body: t.string({ description: "An inline template (without savedReplyId), or the text replacing the reply's." }),
    conversationId: t.string({ description: 'Render for this conversation: its client and location.' }),
    clientId: t.string({ description: 'Render for this client (its home location unless locationId).' }),
    locationId: t.string(),
    staffId: t.string({ description: 'The staff member sending (an API key; a session is its own).' }),
  }),
});

builder.queryFields((t) => ({
  savedReplies: t.prismaConnection(
    {
      type: 'SavedReply',
      cursor: 'id',
      description: "A business's saved replies by name, filtered.",
      args: {
        businessId: t.arg.string({ required: true }),
        search: t.arg.string({ description: 'Part of the name or the shortcut (case-insensitive).' }),
        locationId: t.arg.string({ description: "The replies usable at this location: its own and the business's." }),
        channel: t.arg({ type: SavedReplyChannelEnum, description: 'sms or email: those of the channel and those for any; any: only those for any.' }),
      },
      authScopes: (_root, args) => ({ namedBusiness: args.businessId }),
      resolve: (query, _root, args, ctx) => {
        const { take, skip, cursor, ...select } = query;
        return listSavedReplies(
          ctx.deps,
          {
            principal: ctx.principal,
            businessId: args.businessId,
            search: args.search,
            locationId: args.locationId,
            channel: args.channel,
            page: { take, skip, ...(cursor ? { cursor: cursor as { id: string } } : {}) },
          },
          select,
        ) as Promise<SavedReply[]>;
      },
      totalCount: (_parent, args, ctx) =>
        countSavedReplies(ctx.deps, {
          principal: ctx.principal,
          businessId: args.businessId as string,
          search: args.search as string | null | undefined,
          locationId: args.locationId as string | null | undefined,
          channel: args.channel as string | null | undefined,
        }),
    },
    {},
  ),
  savedReply: t.prismaField({
    type: 'SavedReply',
    description: 'One saved reply.',
    args: { id: t.arg.string({ required: true }) },
    authScopes: { authenticated: true },
    resolve: (query, _root, args, ctx) => getSavedReply(ctx.deps, { principal: ctx.principal, id: args.id }, query),
  }),
  renderTemplate: t.field({
    type: TemplatePreviewRef,
    description:
      'Renders a saved reply or an inline template for a conversation or client, as a send would: the text, SMS segments and encoding, and the variables that were missing. Nothing is sent.',
    args: { input: t.arg({ type: RenderTemplateInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: (_root, { input }, ctx) => previewTemplate(ctx.deps, { ...input, principal: ctx.principal }),
  }),
}));

builder.mutationFields((t) => ({
  createSavedReply: t.prismaField({
    type: 'SavedReply',
    description: 'A new saved reply; an unknown variable or a malformed tag is BAD_USER_INPUT naming the field, the variable and where.',
    args: { input: t.arg({ type: CreateSavedReplyInput, required: true }) },
    authScopes: (_root, args) => ({ namedBusiness: args.input.businessId }),
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createSavedReply(ctx.deps, { ...input, principal: ctx.principal });
      return getSavedReply(ctx.deps, { principal: ctx.principal, id: created.id }, query);
    },
  }),
  updateSavedReply: t.prismaField({
    type: 'SavedReply',
    description: 'Changes the fields given, with the rules of create.',
    args: { input: t.arg({ type: UpdateSavedReplyInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: async (query, _root, { input }, ctx) => {
      const updated = await updateSavedReply(ctx.deps, {
        principal: ctx.principal,
        id: input.id,
        ...(input.locationId !== undefined ? { locationId: input.locationId } : {}),
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.shortcut != null ? { shortcut: input.shortcut } : {}),
        ...(input.channel != null ? { channel: input.channel } : {}),
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.body != null ? { body: input.body } : {}),
      });
      return getSavedReply(ctx.deps, { principal: ctx.principal, id: updated.id }, query);
    },
  }),
  deleteSavedReply: t.field({
    type: DeletedSavedReply,
    description: 'Deletes a saved reply (messages sent with it keep their text).',
    args: { input: t.arg({ type: SavedReplyIdInput, required: true }) },
    authScopes: { authenticated: true },
    resolve: (_root, { input }, ctx) => deleteSavedReply(ctx.deps, { principal: ctx.principal, id: input.id }),
  }),
}));
