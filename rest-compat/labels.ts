// Labels of a business, labels on conversations, and bulk actions on conversations (Omega's own
// routes, beyond the index). Keys and sessions alike. Another business's label or conversation is
// 404 on every route.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { bulkUpdateConversations, MAX_BULK_FILTER_MATCHES, MAX_BULK_IDS } from '../src/domain/conversations/bulkUpdateConversations.js';
import type { Deps } from '../src/domain/deps.js';
import { changeConversationLabels } from '../src/domain/labels/changeConversationLabels.js';
import { createLabel } from '../src/domain/labels/createLabel.js';
import { deleteLabel } from '../src/domain/labels/deleteLabel.js';
import { listConversationLabels } from '../src/domain/labels/getConversationLabels.js';
import { countLabels, getLabel, listLabels } from '../src/domain/labels/getLabel.js';
import { LABEL_COLOR_PATTERN, MAX_LABEL_DESCRIPTION_LENGTH, MAX_LABEL_IDS, MAX_LABEL_NAME_LENGTH, MAX_LABELS, type LabelView } from '../src/domain/labels/labelFields.js';
import { updateLabel } from '../src/domain/labels/updateLabel.js';
import { conversationFilter, conversationFilterFields } from './businesses.js';
import { describe } from './catalog.js';
import { pageSchema, pagingQuery, restList, restPage } from './paging.js';
import { apiKeySecurity, authErrors, businessIdParams, errorResponse, IsoDateTime, Nullable, optional, Ref, StringEnum, Uuid } from './schemas.js';

export const LabelSchema = Type.Object(
  {
    id: Type.String(),
    business_id: Type.String(),
    name: Type.String(),
    color: Type.String({ description: '#rrggbb' }),
    description: Nullable(Type.String()),
    created_at: IsoDateTime(),
    updated_at: IsoDateTime(),
  },
  {
    $id: 'Label',
    description: 'A label of a business: a name unique whatever its case, a colour, a description.',
    example: {
      id: '01938a6e-7c1d-7e2f-8a3b-4c5d6e7f8a9b',
      business_id: 'demo',
      name: 'VIP',
      color: '#d4a017',
      description: 'Clients who spend the most',
      created_at: '2026-01-05T10:00:00.000Z',
      updated_at: '2026-01-05T10:00:00.000Z',
    },
  },
);

export const toLabel = (l: LabelView) => ({
  id: l.id,
  business_id: l.businessId,
  name: l.name,
  color: l.color,
  description: l.description,
  created_at: l.createdAt.toISOString(),
  updated_at: l.updatedAt.toISOString(),
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: MAX_LABEL_NAME_LENGTH, description: 'Unique in the business whatever its case (409 LABEL_NAME_TAKEN).' }),
  color: Type.String({ pattern: LABEL_COLOR_PATTERN, maxLength: 7, description: '#rrggbb' }),
  description: Nullable(Type.String({ maxLength: MAX_LABEL_DESCRIPTION_LENGTH, description: 'null or empty: none.' })),
};

const labelParams = Type.Object({ ...businessIdParams.properties, label_id: Uuid() });
const conversationParams = Type.Object({ ...businessIdParams.properties, conversation_id: Uuid() });
const conversationLabelParams = Type.Object({ ...businessIdParams.properties, conversation_id: Uuid(), label_id: Uuid() });
const notFound = { 404: errorResponse('LABEL_NOT_FOUND or CONVERSATION_NOT_FOUND: none such in this business') };
const security: { [scheme: string]: string[] }[] = [...apiKeySecurity, { BearerToken: [] }, { SessionCookie: [] }];
const labelList = Type.Array(Ref(LabelSchema));

const BulkResultSchema = Type.Object({
  matched: Type.Integer({ description: "Conversations the ids named (the business's) or the filter matched." }),
  changed: Type.Integer({ description: 'Changed, each with its events.' }),
  unchanged: Type.Integer({ description: 'Already as asked.' }),
  skipped: Type.Integer({ description: 'Matched by the filter at first, no longer when their chunk ran.' }),
  failed: Type.Array(Type.Object({ conversation_id: Type.String(), code: Type.String(), message: Type.String() }), {
    description: 'Ids that are not conversations of the business (CONVERSATION_NOT_FOUND), and chunks whose transaction failed.',
  }),
});

export function labelsRoutes(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/businesses/:business_id/labels',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/labels'),
          description: `Oldest first; at most ${MAX_LABELS} per business.`,
          security,
          params: businessIdParams,
          querystring: Type.Object(pagingQuery),
          response: { 200: pageSchema(LabelSchema), ...authErrors },
        },
      },
      async (req) => {
        const paging = restPage(req.query);
        const input = { principal: req.principal, businessId: req.params.business_id };
        const [rows, total] = await Promise.all([listLabels(deps, { ...input, page: paging.args }), countLabels(deps, input)]);
        return restList(rows, paging, total, toLabel);
      },
    );

    app.post(
      '/businesses/:business_id/labels',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/labels'),
          description: `A new label. Its name is unique whatever its case (409 LABEL_NAME_TAKEN); at most ${MAX_LABELS} per business (409 LABEL_LIMIT). A label.changed event.`,
          security,
          params: businessIdParams,
          body: Type.Object({ name: fields.name, color: fields.color, ...optional({ description: fields.description }) }, { additionalProperties: false }),
          response: { 201: Ref(LabelSchema), 409: errorResponse('LABEL_NAME_TAKEN or LABEL_LIMIT'), ...authErrors },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const label = await createLabel(deps, { principal: req.principal, businessId: req.params.business_id, name: b.name, color: b.color, description: b.description ?? null });
        return reply.status(201).send(toLabel(label));
      },
    );

    app.get(
      '/businesses/:business_id/labels/:label_id',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/labels/:label_id'),
          security,
          params: labelParams,
          response: { 200: Ref(LabelSchema), ...notFound, ...authErrors },
        },
      },
      async (req) => toLabel(await getLabel(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.label_id })),
    );

    app.patch(
      '/businesses/:business_id/labels/:label_id',
      {
        schema: {
          ...describe('PATCH', '/businesses/:business_id/labels/:label_id'),
          description: 'Renames, recolours or redescribes it (the fields given). A label.changed event.',
          security,
          params: labelParams,
          body: Type.Object(optional(fields), { additionalProperties: false }),
          response: { 200: Ref(LabelSchema), 409: errorResponse('LABEL_NAME_TAKEN'), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body ?? {};
        const label = await updateLabel(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          id: req.params.label_id,
          ...(b.name != null ? { name: b.name } : {}),
          ...(b.color != null ? { color: b.color } : {}),
          ...(b.description !== undefined && b.description !== null ? { description: b.description } : {}),
        });
        return toLabel(label);
      },
    );

    app.delete(
      '/businesses/:business_id/labels/:label_id',
      {
        schema: {
          ...describe('DELETE', '/businesses/:business_id/labels/:label_id'),
          description: 'Deletes the label: it comes off every conversation it was on (a conversation.updated event each), and a label.changed event.',
          security,
          params: labelParams,
          response: { 204: Type.Null({ description: 'Deleted' }), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        await deleteLabel(deps, { principal: req.principal, businessId: req.params.business_id, id: req.params.label_id });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/businesses/:business_id/conversations/:conversation_id/labels',
      {
        schema: {
          ...describe('GET', '/businesses/:business_id/conversations/:conversation_id/labels'),
          description: "The conversation's labels, by name.",
          security,
          params: conversationParams,
          response: { 200: Type.Object({ items: labelList, total: Type.Integer() }), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const labels = await listConversationLabels(deps, { principal: req.principal, businessId: req.params.business_id, conversationId: req.params.conversation_id });
        return { items: labels.map(toLabel), total: labels.length };
      },
    );

    app.post(
      '/businesses/:business_id/conversations/:conversation_id/labels',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/:conversation_id/labels'),
          description: `Puts labels on the conversation (at most ${MAX_LABEL_IDS} at once; those already on it are no change). A conversation.updated event (change labels) when one was added. Answers its labels.`,
          security,
          params: conversationParams,
          body: Type.Object({ label_ids: Type.Array(Uuid(), { minItems: 1, maxItems: MAX_LABEL_IDS }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: labelList, total: Type.Integer() }), ...notFound, ...authErrors },
        },
      },
      async (req) => {
        await changeConversationLabels(deps, { principal: req.principal, businessId: req.params.business_id, conversationId: req.params.conversation_id, addLabelIds: req.body.label_ids });
        const labels = await listConversationLabels(deps, { principal: req.principal, businessId: req.params.business_id, conversationId: req.params.conversation_id });
        return { items: labels.map(toLabel), total: labels.length };
      },
    );

    app.delete(
      '/businesses/:business_id/conversations/:conversation_id/labels/:label_id',
      {
        schema: {
          ...describe('DELETE', '/businesses/:business_id/conversations/:conversation_id/labels/:label_id'),
          description: 'Takes the label off the conversation (not on it: no change). A conversation.updated event (change labels) when it was on it.',
          security,
          params: conversationLabelParams,
          response: { 204: Type.Null({ description: 'Not on the conversation (any more)' }), ...notFound, ...authErrors },
        },
      },
      async (req, reply) => {
        await changeConversationLabels(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          conversationId: req.params.conversation_id,
          removeLabelIds: [req.params.label_id],
        });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/businesses/:business_id/conversations/bulk',
      {
        schema: {
          ...describe('POST', '/businesses/:business_id/conversations/bulk'),
          description: `One action on many conversations: \`ids\` (at most ${MAX_BULK_IDS}) or \`filter\` (the list's filters; at most ${MAX_BULK_FILTER_MATCHES} matches, else 422 BULK_TOO_MANY). Actions combine: \`assignee_id\` (null unassigns), \`add_label_ids\`, \`remove_label_ids\`, \`status\` (with \`snoozed_until\`), with the rules of the single routes. Conversations go in transactions of 200, locked in id order; one event per real change. Answers the counts.`,
          security,
          params: businessIdParams,
          body: Type.Object(
            {
              ...optional({
                ids: Type.Array(Uuid(), { minItems: 1, maxItems: MAX_BULK_IDS }),
                filter: Type.Object(optional(conversationFilterFields), { additionalProperties: false }),
              }),
              action: Type.Object(
                optional({
                  assignee_id: Type.Union([Uuid(), Type.Null()], { description: 'A staff member to assign; null unassigns.' }),
                  add_label_ids: Type.Array(Uuid(), { maxItems: MAX_LABEL_IDS }),
                  remove_label_ids: Type.Array(Uuid(), { maxItems: MAX_LABEL_IDS }),
                  status: StringEnum(['open', 'snoozed', 'archived']),
                  snoozed_until: Nullable(IsoDateTime({ description: 'With status snoozed; omitted: until the next inbound message.' })),
                }),
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: BulkResultSchema, ...notFound, ...authErrors },
        },
      },
      async (req) => {
        const b = req.body;
        const a = b.action;
        const result = await bulkUpdateConversations(deps, {
          principal: req.principal,
          businessId: req.params.business_id,
          target: { ids: b.ids ?? null, filter: b.filter ? conversationFilter(b.filter) : null },
          action: {
            ...('assignee_id' in a ? { assigneeId: a.assignee_id ?? null } : {}),
            addLabelIds: a.add_label_ids ?? null,
            removeLabelIds: a.remove_label_ids ?? null,
            status: a.status ?? null,
            snoozedUntil: a.snoozed_until ? new Date(a.snoozed_until) : null,
          },
        });
        return { ...result, failed: result.failed.map((f) => ({ conversation_id: f.conversationId, code: f.code, message: f.message })) };
      },
    );
  };
}
