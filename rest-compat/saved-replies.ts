// Saved replies of a business (Omega's own routes, beyond the index): list (search, location,
// channel), create, read, update, delete, and preview (a reply rendered for a conversation or a
// client). Sessions and API keys of the business; another business's reply is 404 on every route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../src/domain/deps.js';
import { createSavedReply } from '../src/domain/savedReplies/createSavedReply.js';
import { deleteSavedReply } from '../src/domain/savedReplies/deleteSavedReply.js';
import { getSavedReply } from '../src/domain/savedReplies/getSavedReply.js';
import { countSavedReplies, listSavedReplies } from '../src/domain/savedReplies/listSavedReplies.js';
import { previewTemplate, type TemplatePreview } from '../src/domain/savedReplies/previewTemplate.js';
import {
  MAX_SAVED_REPLIES,
  SAVED_REPLY_CHANNELS,
  SAVED_REPLY_EMAIL_BODY_MAX,
  SAVED_REPLY_NAME_MAX,
  SAVED_REPLY_SEARCH_MAX,
  SAVED_REPLY_SUBJECT_MAX,
  type SavedReplyView,
} from '../src/domain/savedReplies/savedReplyFields.js';
import { TEMPLATE_VARIABLES } from '../src/domain/savedReplies/template.js';
import { updateSavedReply } from '../src/domain/savedReplies/updateSavedReply.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

const variablesDoc = `Variables: ${TEMPLATE_VARIABLES.map((v) => `\`{{${v}}}\``).join(', ')}; a fallback for a missing value: \`{{client.first_name | "there"}}\` (inside it \`\\"\` is a quote and \`\\\\\` a backslash; \`\\{{\` is a literal \`{{\`). An unknown variable or anything else in braces is a 422 naming the field, the variable and its line and column.`;

export const SavedReplySchema = Type.Object(
  {
    id: Type.String(),
    business_id: Type.String(),
    location_id: Nullable(Type.String({ description: 'null: every location of the business.' })),
    name: Type.String(),
    shortcut: Type.String({ description: 'Lower-case, without the "/" a composer types before it; unique per business, whatever its case.' }),
    channel: StringEnum(SAVED_REPLY_CHANNELS),
    subject: Nullable(Type.String({ description: 'Email and any: the subject template.' })),
    body: Type.String({ description: 'The body template (plain text).' }),
    created_at: IsoDateTime(),
    updated_at: IsoDateTime(),
  },
  {
    $id: 'SavedReply',
    description: `A saved reply (canned response, template) of a business, optionally of one location. ${variablesDoc}`,
    example: {
      id: '01938a6e-6a2b-7c41-9d3e-2a7b8c9d0e1f',
      business_id: 'demo',
      location_id: null,
      name: 'Welcome',
      shortcut: 'welcome',
      channel: 'any',
      subject: 'Welcome to {{business.name}}',
      body: 'Hi {{client.first_name | "there"}}, this is {{staff.first_name}} at {{location.name}}. Call us at {{location.phone}}.',
      created_at: '2026-01-05T10:00:00.000Z',
      updated_at: '2026-01-05T10:00:00.000Z',
    },
  },
);

export const toSavedReply = (r: SavedReplyView) => ({
  id: r.id,
  business_id: r.businessId,
  location_id: r.locationId,
  name: r.name,
  shortcut: r.shortcut,
  channel: r.channel as (typeof SAVED_REPLY_CHANNELS)[number],
  subject: r.subject,
  body: r.body,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

const PreviewSchema = Type.Object(
  {
    saved_reply_id: Nullable(Type.String()),
    channel: StringEnum(SAVED_REPLY_CHANNELS),
    subject: Nullable(Type.String()),
    body: Type.String(),
    sms: Nullable(
      Type.Object(
        {
          encoding: StringEnum(['gsm7', 'ucs2'] as const),
          segments: Type.Integer(),
          units: Type.Integer({ description: 'Septets (gsm7) or UTF-16 code units (ucs2).' }),
        },
        { description: 'The body as an SMS (null for an email reply).' },
      ),
    ),
    missing: Type.Array(
      Type.Object({
        variable: Type.String(),
        field: StringEnum(['subject', 'body'] as const),
        used_fallback: Type.Boolean({ description: 'true: its fallback was used; false: it rendered empty (a send refuses that with a 422).' }),
      }),
    ),
    variables: Type.Array(Type.String(), { description: 'Every variable the subject and body use.' }),
  },
  { description: 'The reply rendered as a send would render it; nothing is sent.' },
);

const toPreview = (p: TemplatePreview) => ({
  saved_reply_id: p.savedReplyId,
  channel: p.channel as (typeof SAVED_REPLY_CHANNELS)[number],
  subject: p.subject,
  body: p.body,
  sms: p.sms,
  missing: p.missing.map((m) => ({ variable: m.variable, field: m.field, used_fallback: m.usedFallback })),
  variables: p.variables,
});

const fields = {
  location_id: Nullable(Uuid({ description: 'Omitted or null: every location of the business.' })),
  name: Type.String({ minLength: 1, maxLength: SAVED_REPLY_NAME_MAX }),
  shortcut: Type.String({
    minLength: 1,
    maxLength: 33,
    description: 'One word of letters, digits, "-" and "_" (a leading "/" is dropped), at most 32 characters; unique per business, whatever its case (409 SAVED_REPLY_SHORTCUT_TAKEN).',
  }),
  channel: StringEnum(SAVED_REPLY_CHANNELS, { description: 'Default any.' }),
  subject: Nullable(Type.String({ maxLength: SAVED_REPLY_SUBJECT_MAX, description: 'Email and any only: the subject template (one line).' })),
  body: Type.String({ minLength: 1, maxLength: SAVED_REPLY_EMAIL_BODY_MAX, description: `The body template: at most 1,600 characters (sms, any) or 50,000 (email). ${variablesDoc}` }),
};

const replyParams = Type.Object({ ...businessIdParams.properties, saved_reply_id: Uuid() });
const notFound = { 404: errorResponse('SAVED_REPLY_NOT_FOUND: no such saved reply in this business') };
const readers: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];

export function savedRepliesRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/saved-replies',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/saved-replies'),
          description:
            'By name. `search` finds part of the name or the shortcut (case-insensitive); `location_id` the replies usable there (its own and the business-wide ones); `channel` sms or email those of the channel and those for any.',
          security: readers,
          params: businessIdParams,
          querystring: Type.Object({
            ...pagingQuery,
            search: Type.Optional(Type.String({ maxLength: SAVED_REPLY_SEARCH_MAX })),
            location_id: Type.Optional(Uuid()),
            channel: Type.Optional(StringEnum(SAVED_REPLY_CHANNELS)),
          }),
          response: { 200: pageSchema(SavedReplySchema), ...authErrors },
        },
      },
      async (req) => {
        const paging = restPage(req.query);
        const input = { principal: req.principal, businessId: req.params.business_id, search: req.query.search, locationId: req.query.location_id, channel: req.query.channel };
        const [rows, total] = await Promise.all([listSavedReplies(deps, { ...input, page: paging.args }), countSavedReplies(deps, input)]);
        return restList(rows, paging, total, toSavedReply);
      },
    );

    app.post(
      '/businesses/:business_id/saved-replies',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/saved-replies'),
          description: `A new saved reply. At most ${MAX_SAVED_REPLIES} per business (409 SAVED_REPLY_LIMIT). Publishes saved_reply.created.`,
          security: readers,
          params: businessIdParams,
          body: Type.Object(
            { name: fields.name, shortcut: fields.shortcut, body: fields.body, ...optional({ location_id: fields.location_id, channel: fields.channel, subject: fields.subject }) },
            { additionalProperties: false },
          ),
          response: { 201: Ref(SavedReplySchema), 409: errorResponse('SAVED_REPLY_SHORTCUT_TAKEN or SAVED_REPLY_LIMIT'), ...authErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const created = await createSavedReply(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          locationId: b.location_id,
          name: b.name,
          shortcut: b.shortcut,
          channel: b.channel,
          subject: b.subject,
          body: b.body,
        });
        return reply.status(201).send(toSavedReply(created));
      },
    );

    app.get(
      '/businesses/:business_id/saved-replies/:saved_reply_id',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/saved-replies/:saved_reply_id'),
          security: readers,
          params: replyParams,
          response: { 200: Ref(SavedReplySchema), ...notFound, ...authErrors },
        },
      },
      async (req) => toSavedReply(await getSavedReply(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.saved_reply_id })),
    );

    app.patch(
      '/businesses/:business_id/saved-replies/:saved_reply_id',
      {
        schema: {
          ...describe('PATCH', '/businesses/:business_id/saved-replies/:saved_reply_id'),
          description:
            'Changes the fields given (the rules of create, against the resulting channel). `subject: null` removes the subject; `location_id: null` makes it business-wide. Publishes saved_reply.updated.',
          security: readers,
          params: replyParams,
          body: Type.Object(optional(fields), { additionalProperties: false }),
          response: { 200: Ref(SavedReplySchema), 409: errorResponse('SAVED_REPLY_SHORTCUT_TAKEN'), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        // null documented for subject (none) and location_id (every location); else null is "not given".
        const updated = await updateSavedReply(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.saved_reply_id,
          ...('location_id' in b ? { locationId: b.location_id ?? null } : {}),
          ...(b.name != null ? { name: b.name } : {}),
          ...(b.shortcut != null ? { shortcut: b.shortcut } : {}),
          ...(b.channel != null ? { channel: b.channel } : {}),
          ...('subject' in b ? { subject: b.subject ?? null } : {}),
          ...(b.body != null ? { body: b.body } : {}),
        });
        return toSavedReply(updated);
      },
    );

    app.delete(
      '/businesses/:business_id/saved-replies/:saved_reply_id',
      {
        schema: {
          ...describe('DELETE', '/businesses/:business_id/saved-replies/:saved_reply_id'),
          description: 'Deletes the saved reply (messages sent with it keep their text). Publishes saved_reply.deleted.',
          security: readers,
          params: replyParams,
          response: { 204: Type.Null({ description: 'Deleted' }), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        await deleteSavedReply(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.saved_reply_id });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/businesses/:business_id/saved-replies/:saved_reply_id/preview',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/saved-replies/:saved_reply_id/preview'),
          description:
            "Renders the reply for a conversation (its client and location) or a client (its home location unless `location_id`), with the staff member sending (`staff_id`; a session is its own), as a send would: the text, SMS segments and encoding, and the variables that were missing (rendered with their fallback, or empty). `subject` and `body` replace the reply's, as in a send. Nothing is sent.",
          security: readers,
          params: replyParams,
          body: Type.Object(
            optional({
              conversation_id: Nullable(Uuid()),
              client_id: Nullable(Uuid()),
              location_id: Nullable(Uuid()),
              staff_id: Nullable(Uuid()),
              subject: Nullable(Type.String({ maxLength: SAVED_REPLY_SUBJECT_MAX })),
              body: Nullable(Type.String({ minLength: 1, maxLength: SAVED_REPLY_EMAIL_BODY_MAX })),
            }),
            { additionalProperties: false },
          ),
          response: { 200: PreviewSchema, ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const preview = await previewTemplate(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          savedReplyId: req.params.saved_reply_id,
          conversationId: b.conversation_id,
          clientId: b.client_id,
          locationId: b.location_id,
          staffId: b.staff_id,
          subject: b.subject,
          body: b.body,
        });
        return toPreview(preview);
      },
    );
  };
}
