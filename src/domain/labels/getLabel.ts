import { authorizeBusiness } from '../auth/authorizeBusiness.js';
import type { Principal } from '../auth/principal.js';
import type { Deps } from '../deps.js';
import { assertUuid } from '../ids.js';
import { toPrismaPage, type PageArgs } from '../paging.js';
import { LABEL_FIELDS, labelNotFound, type LabelView } from './labelFields.js';

export async function getLabel(deps: Deps, input: { principal: Principal | null; businessId: string; id: string }): Promise<LabelView> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  const id = assertUuid(input.id, ['id']);
  const label = await deps.prisma.label.findFirst({ where: { id, businessId: input.businessId }, select: LABEL_FIELDS });
  if (!label) throw labelNotFound(id, input.businessId);
  return label;
}

/** A business's labels in creation order (ids are time-ordered). At most MAX_LABELS: Prisma's cursor paging is enough. */
export async function listLabels(deps: Deps, input: { principal: Principal | null; businessId: string; page?: PageArgs }): Promise<LabelView[]> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return deps.prisma.label.findMany({ where: { businessId: input.businessId }, select: LABEL_FIELDS, orderBy: { id: 'asc' }, ...toPrismaPage(input.page ?? {}) });
}

export async function countLabels(deps: Deps, input: { principal: Principal | null; businessId: string }): Promise<number> {
  await authorizeBusiness(deps, input.principal, input.businessId);
  return deps.prisma.label.count({ where: { businessId: input.businessId } });
}
