import { actingStaffId, type Principal } from '../auth/principal.js';
import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { assertOptionalUuid } from '../ids.js';
import { countSmsSegments, type SmsSegments } from '../sending/countSmsSegments.js';
import { getSavedReply } from './getSavedReply.js';
import { checkSavedReplyFields } from './savedReplyFields.js';
import { parseTemplateField, renderTemplate, type MissingVariable, type ParsedTemplate, type TemplateVariable } from './template.js';
import { templateValues } from './templateValues.js';

export interface PreviewTemplateInput {
  principal: Principal | null;
  businessId: string;
  /** A saved reply to render; its subject and body unless `subject` / `body` are given (they replace them, as in a send). */
  savedReplyId?: string | null;
  subject?: string | null;
  body?: string | null;
  /** Whose values: a conversation (its client and location), or a client (its home location unless `locationId`). Neither: only staff and business values. */
  conversationId?: string | null;
  clientId?: string | null;
  locationId?: string | null;
  /** The staff member sending (a session: its own). */
  staffId?: string | null;
}

export interface TemplateMissing extends MissingVariable {
  /** Where: subject or body. */
  field: 'subject' | 'body';
}

export interface TemplatePreview {
  savedReplyId: string | null;
  /** sms, email or any: the saved reply's, else any. */
  channel: string;
  subject: string | null;
  body: string;
  /** The body as an SMS: segments and encoding (null for an email reply). */
  sms: SmsSegments | null;
  /** Variables whose value was missing: rendered with their fallback, or empty (a send would refuse those). */
  missing: TemplateMissing[];
  /** Every variable the subject and body use. */
  variables: TemplateVariable[];
}

/**
 * Renders a saved reply (or an inline subject and body) for a conversation or a client, as a send
 * would (the same parser and values), without sending: the text, the SMS segments and encoding, and
 * which variables were missing. A template that does not parse is a 422 naming the field and the variable.
 */
export async function previewTemplate(deps: Deps, input: PreviewTemplateInput): Promise<TemplatePreview> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const businessId = input.businessId;
  const conversationId = assertOptionalUuid(input.conversationId, ['conversationId']);
  const clientId = assertOptionalUuid(input.clientId, ['clientId']);
  const locationId = assertOptionalUuid(input.locationId, ['locationId']);
  const staffId = assertOptionalUuid(actingStaffId(input.principal, input.staffId), ['staffId']);
  const reply = input.savedReplyId != null ? await getSavedReply(deps, { principal: input.principal, businessId, id: input.savedReplyId }) : null;
  const channel = reply?.channel ?? 'any';

  const issues: FieldIssue[] = [];
  if (!reply && input.body == null) issues.push({ type: 'missing', loc: ['body'], msg: "Give savedReplyId, body, or both (body replaces the reply's)" });
  // An inline subject or body is held to a saved reply's rules (the body's length by channel, one-line subject).
  const inline = checkSavedReplyFields({ ...(input.body != null ? { body: input.body } : {}), ...(input.subject != null ? { subject: input.subject } : {}), channel }, null);
  issues.push(...inline.issues.filter((i) => i.loc[0] !== 'channel'));
  if (issues.length) throw new ValidationError(issues);
  const parse = (source: string, loc: string): ParsedTemplate => {
    const parsed = parseTemplateField(source, [loc]);
    if ('issue' in parsed) throw new ValidationError([parsed.issue]);
    return parsed.template;
  };
  const body = parse(input.body ?? reply!.body, input.body != null || !reply ? 'body' : 'savedReplyId');
  const subjectSource = input.subject ?? reply?.subject ?? null;
  const subject = subjectSource !== null ? parse(subjectSource, input.subject != null || !reply ? 'subject' : 'savedReplyId') : null;

  const conversation = conversationId ? await deps.prisma.conversation.findFirst({ where: { id: conversationId, businessId }, select: { clientId: true, locationId: true } }) : null;
  if (conversationId && !conversation) throw new NotFoundError('CONVERSATION_NOT_FOUND', `No conversation ${conversationId} in business ${JSON.stringify(businessId)}.`);
  const theClientId = conversation?.clientId ?? clientId;
  const [client, business, staff] = await Promise.all([
    theClientId ? deps.prisma.client.findFirst({ where: { id: theClientId, businessId }, select: { firstName: true, lastName: true, homeLocationId: true } }) : null,
    deps.prisma.business.findUniqueOrThrow({ where: { id: businessId }, select: { name: true } }),
    staffId ? deps.prisma.staff.findFirst({ where: { id: staffId, businessId }, select: { firstName: true } }) : null,
  ]);
  if (theClientId && !client) throw new NotFoundError('CLIENT_NOT_FOUND', `No client ${theClientId} in business ${JSON.stringify(businessId)}.`);
  if (staffId && !staff) throw new NotFoundError('STAFF_NOT_FOUND', `No staff member ${staffId} in business ${JSON.stringify(businessId)}.`);
  const theLocationId = conversation?.locationId ?? locationId ?? client?.homeLocationId ?? null;
  const location = theLocationId ? await deps.prisma.location.findFirst({ where: { id: theLocationId, businessId }, select: { name: true, smsPhoneNumber: true } }) : null;
  if (theLocationId && !location) throw new NotFoundError('LOCATION_NOT_FOUND', `No location ${theLocationId} in business ${JSON.stringify(businessId)}.`);

  const values = templateValues({ client, location, staffFirstName: staff?.firstName ?? null, businessName: business.name });
  const renderedBody = renderTemplate(body, values);
  const renderedSubject = subject ? renderTemplate(subject, values) : null;
  return {
    savedReplyId: reply?.id ?? null,
    channel,
    subject: renderedSubject?.text ?? null,
    body: renderedBody.text,
    sms: channel === 'email' ? null : countSmsSegments(renderedBody.text),
    missing: [...(renderedSubject?.missing ?? []).map((m) => ({ ...m, field: 'subject' as const })), ...renderedBody.missing.map((m) => ({ ...m, field: 'body' as const }))],
    variables: [...new Set([...(subject?.variables ?? []), ...body.variables])],
  };
}
