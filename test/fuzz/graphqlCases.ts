// GraphQL operations generated from the executable schema: for every query and mutation field, an
// operation taking each argument as a variable of its declared type, a valid baseline, then hostile
// values at every variable and input field (wrong types, nulls in non-null places, bad enums and
// DateTimes, garbage cursors and ids, odd page sizes, NUL, lone surrogates, huge and deep values).
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import type { Tenant } from './fuzzWorld.js';
import { RawJson } from './jsonText.js';
import { deepArray, deepObject, hugeString, NASTY_STRINGS } from './nastyValues.js';
import { knownValue } from './validValues.js';
import { coreAndDrawn, type Prng } from './prng.js';

export interface GqlOperation {
  /** query.conversations, mutation.sendSms */
  target: string;
  kind: 'query' | 'mutation' | 'subscription';
  field: GraphQLField<unknown, unknown>;
  document: string;
}

export interface Mutation {
  /** Where: variables.input.recipients[0].to */
  field: string;
  input: string;
  variables: Record<string, unknown>;
}

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

// ---------------------------------------------------------------------------------------------
// Documents

function selectionFor(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!(isObjectType(named) || isInterfaceType(named)) || depth >= 2) return '{ __typename }';
  const parts = ['__typename'];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) parts.push(f.name);
    else if (!f.args.some((a) => a.name === 'first')) parts.push(`${f.name} ${selectionFor(f.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

export function operationFor(kind: GqlOperation['kind'], field: GraphQLField<unknown, unknown>): GqlOperation {
  const defs = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const document = `${kind} Fuzz${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selectionFor(field.type, 0)} }`;
  return { target: `${kind}.${field.name}`, kind, field, document };
}

// ---------------------------------------------------------------------------------------------
// Valid values

const singular = (name: string) => name.replace(/Ids$/, 'Id').replace(/s$/, '');

/** The business mutation.onboardBusiness creates (mutations run before queries). */
const ONBOARDED = 'fuzz-gql-onboarded';

/** Values the generic builder cannot guess, by input type and field. */
function overrides(a: Tenant): Record<string, Record<string, unknown>> {
  return {
    OnboardBusinessInput: {
      businessId: ONBOARDED,
      name: 'Onboarded over GraphQL',
      timeZone: 'America/New_York',
      locations: [{ externalId: 'main', name: 'Main', smsSender: { type: 'existing_number', phoneNumber: '+15005550008' } }],
    },
    OnboardLocationInput: { externalId: 'main', name: 'Main' },
    OnboardStaffInput: { externalId: 's1', firstName: 'Ada' },
    OnboardClientInput: { externalId: 'c1', phone: '+14155550198' },
    QuietHoursInput: { start: '21:00', end: '08:00' },
    SmsSenderInput: { type: 'existing_number', phoneNumber: '+15005550006' },
    EmailSenderInput: { fromAddress: 'front@onboarded.test' },
    RecipientInput: { to: a.clientPhone },
    SendEmailInput: { recipients: [{ to: `rosa@${a.id}.test` }], subject: 'Hello', text: 'Hello there' },
    ProcessMessageInput: { channel: 'sms', to: a.clientPhone, body: 'Hello there' },
    RecordSmsInput: { direction: 'inbound', from: a.clientPhone, to: a.smsNumber, body: 'Hi' },
    RecordEmailInput: { direction: 'inbound', from: `Rosa <rosa@${a.id}.test>`, to: a.emailAddress, subject: 'Hi', text: 'Hi' },
    UpdateMessageStatusInput: { messageId: a.failedMessageId, status: 'delivered', payload: { raw: true } },
    UpdateConversationStatusInput: { conversationId: a.conversationId, status: 'snoozed', snoozedUntil: '2030-01-01T00:00:00Z' },
    MarkMessagesReadInput: { read: true, conversationId: a.conversationId },
    RetryOnboardingStepInput: { businessId: ONBOARDED, step: 'sms_sender:main' },
    CreateApiKeyInput: { name: 'fuzz key', businessId: a.id },
    ApiKeyIdInput: { id: a.spareApiKeyIds[0] },
    AddNoteInput: { body: 'Called back' },
  };
}

/** Fields a generic input object leaves out: they conflict with the ones it sets. */
const LEAVE_OUT = new Set(['clientExternalId', 'locationExternalId', 'staffExternalId', 'requestId', 'messageIds', 'defaultSenderLocationId', 'from', 'html', 'mediaUrls', 'emails', 'phones']);

export function validInput(type: GraphQLInputType, name: string, a: Tenant): unknown {
  if (isNonNullType(type)) return validInput(type.ofType, name, a);
  if (isListType(type)) return [validInput(type.ofType, singular(name), a)];
  if (isInputObjectType(type)) {
    const preset = overrides(a)[type.name] ?? {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (f.name in preset) out[f.name] = preset[f.name];
      else if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = validInput(f.type, f.name, a);
      else if (!LEAVE_OUT.has(f.name) && knownValue(a, f.name) !== undefined && (isLeafType(getNamedType(f.type)) || isListType(isNonNullType(f.type) ? f.type.ofType : f.type)))
        out[f.name] = validInput(f.type, f.name, a);
    }
    return out;
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  switch (type.name) {
    case 'Int':
      return /^(first|last)$/.test(name) ? 5 : name === 'offset' ? 0 : name === 'ttlSeconds' ? 600 : name === 'limit' ? 10 : 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return name === 'read';
    case 'DateTime':
      return '2026-01-15T12:00:00.000Z';
    case 'JSON':
      return { source: 'fuzz' };
    case 'ID':
      return globalId('Conversation', a.conversationId);
    default: {
      if (name === 'id') return a.conversationId;
      if (name === 'query') return 'Friday';
      const known = knownValue(a, name);
      return typeof known === 'string' ? known : 'fuzz';
    }
  }
}

/** Optional arguments the baseline leaves out: paging ones conflict with each other. */
const OPTIONAL_LEFT_OUT = new Set(['after', 'before', 'last', 'offset', 'includeInactive', 'scope', 'filter', 'ttlSeconds', 'search']);

/** The baseline variables of an operation: required arguments, and optional ones it knows a value for. */
export function baselineVariables(op: GqlOperation, a: Tenant): Record<string, unknown> {
  const returns = getNamedType(op.field.type).name;
  const ids: Record<string, string> = { Conversation: a.conversationId, Client: a.clientId, Staff: a.staffId, Business: a.id };
  const out: Record<string, unknown> = {};
  for (const arg of op.field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!required && (OPTIONAL_LEFT_OUT.has(arg.name) || (arg.name !== 'first' && knownValue(a, arg.name) === undefined && !isInputObjectType(arg.type)))) continue;
    out[arg.name] = arg.name === 'id' && ids[returns] ? ids[returns] : validInput(arg.type, arg.name, a);
  }
  const byTarget: Record<string, Record<string, unknown>> = {
    'query.onboardingStatus': { businessId: ONBOARDED },
    'mutation.rotateApiKey': { input: { id: a.spareApiKeyIds[1] } },
  };
  return { ...out, ...byTarget[op.target] };
}

// ---------------------------------------------------------------------------------------------
// Hostile values

type Segment = string | number;
const UNSET = Symbol('unset');

/** A copy of `root` with `value` at `path` (UNSET: removed); a missing parent at depth i is made by fill(i). */
function setAt(root: unknown, path: Segment[], value: unknown, fill: (depth: number) => unknown, depth = 0): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  const copy = (root && typeof root === 'object' ? structuredClone(root) : typeof head === 'number' ? [] : {}) as Record<Segment, unknown>;
  const next = setAt(copy[head] ?? (rest.length ? fill(depth) : undefined), rest, value, fill, depth + 1);
  if (next === UNSET) delete copy[head];
  else copy[head] = next;
  return copy;
}

interface InputSlot {
  path: Segment[];
  name: string;
  type: GraphQLInputType;
  /** Type and name at each prefix of the path: path[0..i] holds a value of parents[i]. */
  parents: { type: GraphQLInputType; name: string }[];
}

/** Every variable and input field, with list items as index 0, parents first; recursion stops at 3 input levels. */
function slotsOf(args: readonly GraphQLArgument[]): InputSlot[] {
  const out: InputSlot[] = [];
  const walk = (type: GraphQLInputType, path: Segment[], name: string, depth: number, parents: InputSlot['parents']) => {
    const here = [...parents, { type, name }];
    out.push({ path, name, type, parents: here });
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) walk(inner.ofType, [...path, 0], singular(name), depth, here);
    else if (isInputObjectType(inner) && depth < 3) for (const f of Object.values(inner.getFields())) walk(f.type, [...path, f.name], f.name, depth + 1, here);
  };
  for (const arg of args) walk(arg.type, [arg.name], arg.name, 0, []);
  return out;
}

/** Makes the missing parents of a slot valid (a nested list item, an input object the baseline left out). */
const fillerOf = (slot: InputSlot, a: Tenant) => (depth: number) => validInput(slot.parents[depth]!.type, slot.parents[depth]!.name, a);

const pathName = (path: Segment[]) =>
  `variables.${path
    .map((s) => (typeof s === 'number' ? `[${s}]` : s))
    .join('.')
    .replace(/\.\[/g, '[')}`;

export interface Hostile {
  input: string;
  value: unknown;
  /** Always sent; the others are sampled per field. */
  core: boolean;
}

/** Hostile values for one input slot, by its type and name. */
export function hostileValues(slot: InputSlot, a: Tenant, b: Tenant): Hostile[] {
  const { type, name } = slot;
  const out: Hostile[] = [];
  const core = (input: string, value: unknown) => out.push({ input, value, core: true });
  const extra = (input: string, value: unknown) => out.push({ input, value, core: false });
  core(isNonNullType(type) ? 'null in a non-null place' : 'null', null);
  core('missing', UNSET);
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    core('wrong type: object for a list', { a: 1 });
    core('list holding null', [null]);
    extra(
      'huge list (10000 items)',
      Array.from({ length: 10_000 }, () => validInput(inner.ofType, singular(name), a)),
    );
    extra('deep nested lists (5000)', deepArray());
    return out;
  }
  if (isInputObjectType(inner)) {
    core('wrong type: string for an input object', 'abc');
    core('wrong type: list for an input object', [{}]);
    core('unknown input field', { ...(validInput(inner, name, a) as object), noSuchField: 1 });
    extra('deep object (5000)', deepObject());
    return out;
  }
  if (isEnumType(inner)) {
    core('bad enum value', 'BOGUS');
    core('enum value in capitals', inner.getValues()[0]!.name.toUpperCase());
    core('wrong type: number for an enum', 1);
    return out;
  }
  switch (inner.name) {
    case 'Int':
      core('wrong type: string for Int', 'abc');
      core('fractional Int', 1.5);
      core('Int beyond 32 bits', 2147483648);
      core('huge number', new RawJson('99999999999999999999999'));
      core('negative', -1);
      extra('zero', 0);
      extra('max Int', 2147483647);
      extra('min Int', -2147483648);
      extra('numeric string', '12');
      break;
    case 'Boolean':
      core('wrong type: string for Boolean', 'true');
      core('wrong type: number for Boolean', 1);
      break;
    case 'DateTime':
      core('bad DateTime', 'garbage');
      core('DateTime as a number', 12345);
      extra('DateTime out of range', '+275760-09-13T00:00:00.001Z');
      extra('DateTime with month 13', '2026-13-45T25:61:00Z');
      extra('empty DateTime', '');
      break;
    case 'JSON':
      core('JSON nested 5000 deep', deepObject());
      extra('JSON list nested 5000 deep', deepArray());
      extra('JSON huge string', hugeString());
      extra('JSON wide object (20000 keys)', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));
      extra('JSON with lone surrogate key', { '\ud800': '\udfff' });
      break;
    default: {
      // String and ID.
      core('wrong type: number for a string', 123);
      core('wrong type: object for a string', { a: 1 });
      core('wrong type: list for a string', ['a', 'b']);
      for (const [input, value] of Object.entries(NASTY_STRINGS)) extra(input, value);
      extra('huge string (1 MB)', hugeString());
      if (/^(after|before)$/.test(name)) {
        for (const v of ['garbage', '', 'MA==', '99999999999999999999:99999999999999999999', '-1:-1', 'x:1', globalId('Conversation', 'nope')]) core(`garbage cursor ${JSON.stringify(v)}`, v);
      }
      if (inner.name === 'ID' || name === 'id' || name === 'ids') {
        for (const v of ['x', '', globalId('Conversation', 'not-a-uuid'), globalId('Nope', '1'), globalId('Conversation', b.conversationId), 'Q29udmVyc2F0aW9u'])
          core(`invalid id ${JSON.stringify(v).slice(0, 40)}`, v);
      }
      const other = knownValue(b, name);
      if (typeof other === 'string') core("other business's value", other);
      if (/Id$/.test(name)) core('not a uuid', 'not-a-uuid');
    }
  }
  return out;
}

/** Per slot: every core value and `perField` sampled others (all with perField = Infinity). */
export function mutationsOf(op: GqlOperation, a: Tenant, b: Tenant, prng: Prng, perField: number): Mutation[] {
  const base = baselineVariables(op, a);
  const out: Mutation[] = [];
  for (const slot of slotsOf(op.field.args)) {
    const values = hostileValues(slot, a, b);
    const chosen = coreAndDrawn(values, prng, perField);
    for (const v of chosen) {
      const variables = setAt(base, slot.path, v.value, fillerOf(slot, a)) as Record<string, unknown>;
      out.push({ field: pathName(slot.path), input: v.input, variables });
    }
  }
  return out;
}

/** Random cases: several slots broken at once. */
export function randomMutations(op: GqlOperation, a: Tenant, b: Tenant, prng: Prng, count: number): Mutation[] {
  const slots = slotsOf(op.field.args);
  if (!slots.length) return [];
  const out: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    let variables: Record<string, unknown> = baselineVariables(op, a);
    const picked: string[] = [];
    for (let j = 0, n = 2 + prng.int(3); j < n; j++) {
      const slot = prng.pick(slots);
      const v = prng.pick(hostileValues(slot, a, b).filter((h) => (!(h.value instanceof RawJson) && typeof h.value !== 'string') || (typeof h.value === 'string' && h.value.length < 1000)));
      variables = setAt(variables, slot.path, v.value, fillerOf(slot, a)) as Record<string, unknown>;
      picked.push(`${pathName(slot.path)}=${v.input}`);
    }
    out.push({ field: 'variables (random)', input: `random: ${picked.join('; ')}`, variables });
  }
  return out;
}
