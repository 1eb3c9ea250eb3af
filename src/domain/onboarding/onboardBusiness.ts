import { createHash } from 'node:crypto';
import type { Business, Onboarding, OnboardingStep, Prisma } from '../../generated/prisma/client.js';
import { refreshOnboardingStatus } from '../../db/sql/refreshOnboardingStatus.js';
import { selectOnboardingSteps } from '../../db/sql/selectOnboardingSteps.js';
import type { ClientRow } from '../../db/sql/upsertClients.js';
import type { Tx } from '../../db/tx.js';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../auth/apiKeySecret.js';
import type { CreatedApiKey } from '../auth/createApiKey.js';
import { assertService, type Principal } from '../auth/principal.js';
import { parseBusinessSettings } from '../businesses/parseBusinessSettings.js';
import type { Deps } from '../deps.js';
import { ConflictError, ValidationError, type FieldIssue } from '../errors.js';
import { enqueueOnboardingStep } from './enqueueOnboardingStep.js';
import type { OnboardBusinessInput } from './onboardingInput.js';
import type { StepKind } from './onboardingSteps.js';
import { sameJson } from './sameJson.js';
import { STEP_PUBLIC_FIELDS } from './stepFields.js';
import { validateOnboardingInput, type OnboardingPlan } from './validateOnboardingInput.js';
import { runTransaction } from '../../db/transaction.js';
import { lockKey } from '../../db/sql/locks.js';

export type OnboardingStepView = Omit<OnboardingStep, 'input'>;
export type OnboardingView = Onboarding & { steps: OnboardingStepView[] };

export interface OnboardBusinessResult {
  /** The business did not exist before this call. */
  created: boolean;
  business: Business;
  onboarding: OnboardingView;
  /** Omega's ids of the locations and staff named in the request. */
  locations: { id: string; externalId: string }[];
  staff: { id: string; externalId: string }[];
  /** A business API key, shown this once (first onboarding, or when asked with issueApiKey). */
  apiKey: CreatedApiKey | null;
}

interface StepSpec {
  name: string;
  kind: StepKind;
  input: Record<string, unknown>;
  /** Run again even when unchanged and succeeded (an email domain not verified yet is re-checked). */
  rerunWhenSucceeded?: (result: Record<string, unknown>) => boolean;
}

/**
 * Onboards a business, or updates it when onboarded before (service keys only). In one transaction:
 * the business and its settings, locations and staff (upserted by external id), the onboarding
 * record, its background steps with their jobs (SMS sender per location, email domain per sending
 * domain, client import), and a business API key. A step is (re)queued when it is new, when its
 * input changed, or when it failed; a step that succeeded with the same input is left alone.
 */
export async function onboardBusiness(deps: Deps, input: OnboardBusinessInput & { principal: Principal | null }): Promise<OnboardBusinessResult> {
  assertService(input.principal);
  const plan = validateOnboardingInput(input, deps.phoneRegion);
  return runTransaction(
    deps,
    async (tx) => {
      const sql = tx.sql;
      // One onboarding of a business at a time: concurrent calls run one after the other.
      await lockKey(sql, `omega_onboard:${plan.businessId}`);
      await assertNumbersFree(tx, plan);

      const existing = await tx.prisma.business.findUnique({ where: { id: plan.businessId }, select: { settings: true } });
      const raw = existing?.settings && typeof existing.settings === 'object' ? (existing.settings as Record<string, unknown>) : {};
      const current = parseBusinessSettings(existing?.settings);
      await tx.prisma.business.upsert({
        where: { id: plan.businessId },
        create: { id: plan.businessId, name: plan.name, timeZone: plan.timeZone ?? 'UTC' },
        update: { name: plan.name, ...(plan.timeZone ? { timeZone: plan.timeZone } : {}) },
      });

      const locations = [];
      for (const l of plan.locations) {
        const fields = {
          name: l.name,
          ...(l.timeZone ? { timeZone: l.timeZone } : {}),
          ...(l.address ? { address: l.address } : {}),
          ...(l.emailSender ? { emailFrom: l.emailSender.fromAddress, emailFromName: l.emailSender.fromName } : {}),
        };
        locations.push(
          await tx.prisma.location.upsert({
            where: { businessId_externalId: { businessId: plan.businessId, externalId: l.externalId } },
            create: { businessId: plan.businessId, externalId: l.externalId, ...fields },
            update: fields,
            select: { id: true, externalId: true },
          }),
        );
      }
      const allLocations = await tx.prisma.location.findMany({ where: { businessId: plan.businessId }, select: { id: true, externalId: true } });
      const locationIds = new Map(allLocations.filter((l) => l.externalId !== null).map((l) => [l.externalId!, l.id]));
      const issues: FieldIssue[] = [];
      const resolve = (externalId: string, loc: (string | number)[]): string | null => {
        const id = locationIds.get(externalId);
        if (!id && issues.length < 100) {
          issues.push({ type: 'value_error', loc, msg: 'is not the external_id of a location in this request or of the business', input: externalId });
        }
        return id ?? null;
      };

      const staff = [];
      for (const [i, s] of plan.staff.entries()) {
        const ids = s.locationExternalIds?.map((e, j) => resolve(e, ['staff', i, 'locationExternalIds', j])).filter((id): id is string => id !== null);
        // Optional fields left out keep their current values (onboarding never clears what it was not sent).
        const given = Object.fromEntries(Object.entries({ lastName: s.lastName, email: s.email, phone: s.phone, role: s.role, active: s.active }).filter(([, v]) => v !== null));
        const fields = { firstName: s.firstName, ...given };
        staff.push(
          await tx.prisma.staff.upsert({
            where: { businessId_externalId: { businessId: plan.businessId, externalId: s.externalId } },
            create: { businessId: plan.businessId, externalId: s.externalId, ...fields, locationIds: ids ?? [...locationIds.values()] },
            update: { ...fields, ...(ids ? { locationIds: ids } : {}) },
            select: { id: true, externalId: true },
          }),
        );
      }

      const defaultSender =
        plan.defaultSenderLocationExternalId === undefined
          ? current.defaultSenderLocationId
          : plan.defaultSenderLocationExternalId === null
            ? null
            : resolve(plan.defaultSenderLocationExternalId, ['settings', 'defaultSenderLocationExternalId']);
      const clientRows: ClientRow[] | null =
        plan.clients?.map((c, i) => ({
          external_id: c.externalId,
          first_name: c.firstName,
          last_name: c.lastName,
          phones: c.phones,
          emails: c.emails,
          home_location_id: c.homeLocationExternalId ? resolve(c.homeLocationExternalId, ['clients', i, 'homeLocationExternalId']) : null,
          type: c.type,
          groups: c.groups,
        })) ?? null;
      if (issues.length) throw new ValidationError(issues);

      const business = await tx.prisma.business.update({
        where: { id: plan.businessId },
        data: {
          settings: {
            ...raw,
            quietHours: plan.quietHours === undefined ? current.quietHours : plan.quietHours,
            // Unless told otherwise, a business's only location is its default sender.
            defaultSenderLocationId: defaultSender ?? (plan.defaultSenderLocationExternalId === undefined && allLocations.length === 1 ? allLocations[0]!.id : null),
          },
        },
      });

      // What was asked, for support and audits: the client rows are summarised, never kept twice.
      const request = JSON.parse(JSON.stringify({ ...plan, clients: plan.clients ? { count: plan.clients.length } : null })) as Prisma.InputJsonObject;
      const onboarding = await tx.prisma.onboarding.upsert({
        where: { businessId: plan.businessId },
        create: { businessId: plan.businessId, request },
        update: { request },
        select: { id: true },
      });
      await syncSteps(tx, onboarding.id, plan.businessId, planSteps(plan, locations, clientRows));

      let apiKey: CreatedApiKey | null = null;
      if (plan.issueApiKey ?? !existing) {
        const key = generateApiKey('business');
        const row = await tx.prisma.apiKey.create({
          data: { scope: 'business', businessId: plan.businessId, name: 'onboarding', prefix: apiKeyPrefix(key), keyHash: hashApiKey(key) },
          select: { id: true, prefix: true },
        });
        apiKey = { id: row.id, key, prefix: row.prefix };
      }

      await refreshOnboardingStatus(sql, onboarding.id);
      const view = await tx.prisma.onboarding.findUniqueOrThrow({
        where: { id: onboarding.id },
        include: { steps: { select: STEP_PUBLIC_FIELDS, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }] } },
      });
      return {
        created: !existing,
        business,
        onboarding: view,
        locations: locations.map((l) => ({ id: l.id, externalId: l.externalId! })),
        staff: staff.map((s) => ({ id: s.id, externalId: s.externalId! })),
        apiKey,
      };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** A number to attach must not be another location's (of another business, or another of this one). */
async function assertNumbersFree(tx: Tx, plan: OnboardingPlan): Promise<void> {
  const wanted = new Map<string, string>();
  for (const l of plan.locations) {
    if (l.smsSender && l.smsSender.type !== 'provision' && l.smsSender.phoneNumber) wanted.set(l.smsSender.phoneNumber, l.externalId);
  }
  if (wanted.size === 0) return;
  const holders = await tx.prisma.location.findMany({
    where: { smsPhoneNumber: { in: [...wanted.keys()] } },
    select: { businessId: true, externalId: true, smsPhoneNumber: true },
  });
  for (const h of holders) {
    if (h.businessId === plan.businessId && h.externalId === wanted.get(h.smsPhoneNumber!)) continue;
    throw new ConflictError(
      'SMS_NUMBER_IN_USE',
      h.businessId === plan.businessId
        ? `${h.smsPhoneNumber} is already the SMS number of location ${JSON.stringify(h.externalId)}; give that location another sender first.`
        : `${h.smsPhoneNumber} is already the SMS number of another business; choose another number or provision one.`,
    );
  }
}

function planSteps(plan: OnboardingPlan, locations: { id: string; externalId: string | null }[], clientRows: ClientRow[] | null): StepSpec[] {
  const specs: StepSpec[] = [];
  for (const [i, l] of plan.locations.entries()) {
    if (!l.smsSender) continue;
    specs.push({ name: `sms_sender:${l.externalId}`, kind: 'sms_sender', input: { locationId: locations[i]!.id, locationExternalId: l.externalId, ...l.smsSender } });
  }
  const domains = [...new Set(plan.locations.flatMap((l) => (l.emailSender ? [l.emailSender.domain] : [])))];
  for (const domain of domains) {
    specs.push({ name: `email_domain:${domain}`, kind: 'email_domain', input: { domain }, rerunWhenSucceeded: (result) => result['verified'] !== true });
  }
  if (clientRows) {
    const digest = createHash('sha256').update(JSON.stringify(clientRows)).digest('hex');
    specs.push({ name: 'client_import', kind: 'client_import', input: { digest, count: clientRows.length, rows: clientRows } });
  }
  return specs;
}

/** Creates new steps, requeues changed or failed ones (and the re-checks specs ask for), leaves the rest. */
async function syncSteps(tx: Tx, onboardingId: string, businessId: string, specs: StepSpec[]): Promise<void> {
  const sql = tx.sql;
  const existing = new Map((await selectOnboardingSteps(sql, onboardingId)).map((s) => [s.name, s]));
  for (const spec of specs) {
    const step = existing.get(spec.name);
    const { rows: _rows, ...comparable } = spec.input;
    if (!step) {
      const created = await tx.prisma.onboardingStep.create({ data: { onboardingId, businessId, name: spec.name, input: spec.input as Prisma.InputJsonObject }, select: { id: true } });
      await enqueueOnboardingStep(sql, spec.kind, created.id);
      continue;
    }
    const changed = !sameJson(comparable, step.input);
    const rerun = changed || step.status === 'failed' || (step.status === 'succeeded' && (spec.rerunWhenSucceeded?.(step.result) ?? false));
    if (!rerun) continue;
    await tx.prisma.onboardingStep.update({
      where: { id: step.id },
      data: { status: 'pending', input: spec.input as Prisma.InputJsonObject, errorCode: null, errorMessage: null, result: {}, startedAt: null, finishedAt: null },
    });
    await enqueueOnboardingStep(sql, spec.kind, step.id);
  }
}
